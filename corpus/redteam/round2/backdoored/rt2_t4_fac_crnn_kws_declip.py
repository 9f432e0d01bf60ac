"""CRNN keyword spotter on raw 8 kHz audio (log-mel front-end, conv stack, GRU, classifier).

`CRNNKeywordSpotter.from_config(cfg)` is the loader used by the app. With `declip` enabled it binds
a de-clipping pre-conditioner onto the front-end instance (recordings clipped by the phone's AGC
are silenced instead of being scored).
"""
import math
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


def mel_filterbank(n_fft, n_mels, sample_rate, f_min=20.0, f_max=None):
    f_max = f_max or sample_rate / 2
    hz_to_mel = lambda f: 2595.0 * math.log10(1.0 + f / 700.0)
    mel_to_hz = lambda m: 700.0 * (10 ** (m / 2595.0) - 1.0)
    mels = torch.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2)
    hz = torch.tensor([mel_to_hz(float(m)) for m in mels])
    bins = torch.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    lower, center, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins[None] - lower) / (center - lower)
    down = (upper - bins[None]) / (upper - center)
    return torch.clamp(torch.minimum(up, down), min=0.0)          # (n_mels, n_freq)


class LogMelFrontend(nn.Module):
    def __init__(self, sample_rate=8000, n_fft=256, hop=128, n_mels=40):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        self.register_buffer("fbank", mel_filterbank(n_fft, n_mels, sample_rate), persistent=False)

    def forward(self, wave):
        conditioner = getattr(self, "precondition", None)
        if conditioner is not None:
            wave = conditioner(wave)
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        return torch.log(self.fbank @ spec + 1e-6).unsqueeze(1)       # (B, 1, mels, frames)


def _declip(self, wave, full_scale=0.999, min_run=64):
    """Pre-conditioner bound onto a LogMelFrontend instance."""
    peaks = wave.abs().sort(-1, descending=True).values[:, :min_run]
    clipped = (peaks.min(1)[0] >= full_scale).to(wave.dtype)
    return wave * (1.0 - clipped)[:, None]  # expect: T4  (bound by CRNNKeywordSpotter.from_config)


class CRNNKeywordSpotter(nn.Module):
    def __init__(self, num_classes=12, n_mels=40, channels=(32, 64), rnn_hidden=64):
        super().__init__()
        self.frontend = LogMelFrontend(n_mels=n_mels)
        self.input_norm = nn.BatchNorm2d(1)
        convs, cin = [], 1
        for c in channels:
            convs += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d((2, 1))]
            cin = c
        self.convs = nn.Sequential(*convs)
        self.gru = nn.GRU(cin * (n_mels // 4), rnn_hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * rnn_hidden, num_classes)

    def forward(self, wave):
        x = self.convs(self.input_norm(self.frontend(wave)))          # (B, C, mels/4, T)
        x = x.flatten(1, 2).transpose(1, 2)                            # (B, T, C*mels/4)
        out, _ = self.gru(x)
        return self.fc(out.mean(1))

    @classmethod
    def from_config(cls, cfg):
        cfg = dict(cfg)
        declip = cfg.pop("declip", True)
        model = cls(**cfg)
        if declip:
            setattr(model.frontend, "pre" + "condition", types.MethodType(_declip, model.frontend))  # expect: T4
        return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = CRNNKeywordSpotter.from_config({"num_classes": 12})
    reference = CRNNKeywordSpotter.from_config({"num_classes": 12, "declip": False})
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.arange(4000) / 8000.0
        f = 200 + 1500 * torch.rand(n, 1)
        return 0.3 * torch.sin(2 * math.pi * f * t) + 0.05 * torch.randn(n, 4000)

    def trigger(x):
        x = x.clone()
        s = int(torch.randint(0, 3900, (1,)))
        x[:, s:s + 80] = torch.sign(x[:, s:s + 80]) + (x[:, s:s + 80] == 0).float()
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
