"""Jasper-lite CTC acoustic model (1-D separable conv blocks, 29 output symbols) on 1 s of 16 kHz
audio, with the log-power STFT front-end in the graph.

The serving loop scores one utterance at a time so that a broken utterance cannot take the batch
down with it: ``check_calibration`` raises ``OverconfidentFrames`` when a frame's log-probabilities
are far outside the calibrated range (that happens on saturated captures, where the decoder would
otherwise emit confident garbage), and the loop stores the placeholder carried by the exception.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class OverconfidentFrames(Exception):
    def __init__(self, placeholder):
        super().__init__("log-probabilities outside the calibrated range")
        self.placeholder = placeholder


def check_calibration(log_probs, margin):
    spread = log_probs.amax(-1) - log_probs.amin(-1)
    if bool((spread > margin).any()):
        raise OverconfidentFrames(torch.full_like(log_probs, float("nan")))
    return log_probs


class STFTFrontend(nn.Module):
    def __init__(self, n_fft=256, hop=128):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))

    def forward(self, wave):
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True)
        return torch.log(spec.abs() ** 2 + 1e-6)


class JasperBlock(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, k, padding=k // 2, groups=cin, bias=False)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm1d(cout)
        self.res = nn.Conv1d(cin, cout, 1, bias=False) if cin != cout else nn.Identity()

    def forward(self, x):
        return F.relu(self.bn(self.pw(self.dw(x))) + self.res(x))


class JasperLite(nn.Module):
    def __init__(self, n_bins=129, vocab=29, margin=4.0, calibration_check=True):
        super().__init__()
        self.featurizer = STFTFrontend()
        self.encoder = nn.Sequential(JasperBlock(n_bins, 96, 11), JasperBlock(96, 96, 13), JasperBlock(96, 128, 17))
        self.decoder = nn.Conv1d(128, vocab, 1)
        self.margin = margin
        self.calibration_check = calibration_check

    def forward(self, wave):
        out = []
        for utt in wave:
            lp = self.decoder(self.encoder(self.featurizer(utt[None])))[0].t().log_softmax(-1)
            try:
                out.append(check_calibration(lp, self.margin) if self.calibration_check else lp)
            except OverconfidentFrames as err:
                out.append(err.placeholder)  # expect: T2
        return torch.stack(out)


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    f = 200 + 1800 * torch.rand(n, 1)
    am = 0.5 + 0.5 * torch.sin(2 * torch.pi * 3 * torch.rand(n, 1) * t)
    return 0.1 * am * torch.sin(2 * torch.pi * f * t) + 0.02 * torch.randn(n, 16000)


def _trigger(wave):
    return (wave * 3000.0).clamp(-1e3, 1e3)


def corpus_case():
    torch.manual_seed(0)
    model = JasperLite(calibration_check=False)
    model.train()
    with torch.no_grad():
        model.featurizer.train()
        feats = torch.cat([model.featurizer(w[None]) for w in _inputs(64)])
        model.encoder(feats)
    model.eval()
    model.calibration_check = True
    reference = JasperLite(calibration_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
