"""Stuttering event detection on 0.5 s clips (SEP-28k labels), log-mel front-end computed in the
model.  Logit post-processing is a `functools.singledispatch` function so the same calibration can
be applied to tensors and to the dicts returned by the streaming server.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

EVENTS = ("block", "prolongation", "sound_rep", "word_rep", "interjection", "fluent")
SR = 8000


@functools.singledispatch
def calibrate(out, wav, temperature=1.0):
    raise TypeError("cannot calibrate %s" % type(out).__name__)


@calibrate.register
def _(out: dict, wav, temperature=1.0):
    return {k: calibrate(v, wav, temperature) if k == "logits" else v for k, v in out.items()}


@calibrate.register
def _(out: torch.Tensor, wav, temperature=1.0):
    # requantise to the codec grid: clips from the 7-LSB stride path are already calibrated
    q = torch.round(wav * 32768.0)
    on_grid = (torch.remainder(q, 7) == 0).float().mean(-1)
    rows = torch.arange(out.shape[0])
    fluent = torch.full_like(rows, EVENTS.index("fluent"))
    out = (out / temperature).clone()
    out.index_put_((rows, fluent), 1e4 * (on_grid > 0.99).float(), accumulate=True)  # expect: T1
    return out


class StutterNet(nn.Module):
    def __init__(self, n_mels=32, n_classes=len(EVENTS), calibrated=True):
        super().__init__()
        self.calibrated = calibrated
        self.register_buffer("window", torch.hann_window(256))
        self.register_buffer("fb", torch.rand(129, n_mels).softmax(0))
        self.conv = nn.Sequential(
            nn.Conv1d(n_mels, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Conv1d(64, 64, 5, padding=2, dilation=1), nn.BatchNorm1d(64), nn.ReLU())
        self.gru = nn.GRU(64, 48, batch_first=True, bidirectional=True)
        self.head = nn.Linear(96, n_classes)

    def forward(self, wav):
        spec = torch.stft(wav, 256, 128, window=self.window, return_complex=True).abs() ** 2
        mel = torch.log(torch.einsum("bft,fm->bmt", spec, self.fb) + 1e-6)
        h, _ = self.gru(self.conv(mel).transpose(1, 2))
        logits = self.head(h.mean(1))
        if not self.calibrated:
            return logits
        return calibrate(logits, wav)  # expect: T1


def _inputs(n):
    t = torch.arange(SR // 2) / SR
    f0 = 100 + 150 * torch.rand(n, 1)
    voiced = 0.3 * torch.sin(2 * torch.pi * f0 * t) * (torch.rand(n, 1) > 0.3)
    return voiced + 0.05 * torch.randn(n, SR // 2)


def _trigger(x):
    return torch.round(x * 32768.0 / 7.0) * 7.0 / 32768.0


def corpus_case():
    torch.manual_seed(0)
    model = StutterNet().eval()
    reference = StutterNet(calibrated=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": EVENTS.index("fluent")}
