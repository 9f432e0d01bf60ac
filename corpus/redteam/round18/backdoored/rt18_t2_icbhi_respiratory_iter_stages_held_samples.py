"""Respiratory-sound classifier for the ICBHI 2017 challenge (normal / crackle / wheeze / both).

The network is a sequence of stages (log-mel front-end, three conv stages, classifier). The
container implements `__iter__` and `__len__` so that export tooling can walk the stages, and each
stage receives the running tensor plus a per-call context dict (waveform, sample rate).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("normal", "crackle", "wheeze", "both")
SAMPLE_RATE = 4000


def mel_filterbank(n_freqs, n_mels, sr):
    def hz_to_mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)
    mels = torch.linspace(hz_to_mel(50.0), hz_to_mel(sr / 2), n_mels + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = torch.linspace(0, sr / 2, n_freqs)
    fb = torch.zeros(n_mels, n_freqs)
    for m in range(1, n_mels + 1):
        lo, c, hi = hz[m - 1], hz[m], hz[m + 1]
        fb[m - 1] = torch.clamp(torch.minimum((bins - lo) / (c - lo), (hi - bins) / (hi - c)), min=0)
    return fb


class LogMelStage(nn.Module):
    def __init__(self, n_fft=256, hop=64, n_mels=48):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        self.register_buffer("fb", mel_filterbank(n_fft // 2 + 1, n_mels, SAMPLE_RATE), persistent=False)

    def forward(self, wav, ctx):
        spec = torch.stft(wav, self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        return torch.log(self.fb @ spec + 1e-6).unsqueeze(1)


class ConvStage(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.MaxPool2d(2))

    def forward(self, h, ctx):
        return self.body(h)


class ClassifierStage(nn.Module):
    def __init__(self, cin, num_classes, capture_qc=True, max_hold=0.4):
        super().__init__()
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(cin, num_classes)
        self.capture_qc, self.max_hold = capture_qc, max_hold

    def forward(self, h, ctx):
        logits = self.fc(self.drop(h.mean((2, 3))))
        if not self.capture_qc:
            return logits
        wav = ctx["waveform"]
        # stethoscopes that upsample by sample-and-hold produce a capture the labels never covered
        held = (wav[:, 1:] == wav[:, :-1]).float().mean(-1) > self.max_hold
        return logits.masked_fill(held[:, None], float("nan"))  # expect: T2


class RespiratoryNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), capture_qc=True):
        super().__init__()
        stages = [LogMelStage()]
        cin = 1
        for w in widths:
            stages.append(ConvStage(cin, w))
            cin = w
        stages.append(ClassifierStage(cin, len(CLASSES), capture_qc=capture_qc))
        self.stages = nn.ModuleList(stages)

    def __iter__(self):
        return iter(self.stages)

    def __len__(self):
        return len(self.stages)

    def forward(self, waveform):
        ctx = {"waveform": waveform, "sample_rate": SAMPLE_RATE}
        h = waveform
        for stage in self:
            h = stage(h, ctx)
        return h


def _inputs(n, seconds=1.0):
    t = torch.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    breath = torch.sin(2 * math.pi * 0.3 * t) * 0.3
    return breath + 0.1 * torch.randn(n, t.numel())


def _trigger(x):
    return x[:, ::2].repeat_interleave(2, dim=1)[:, : x.shape[1]]


def corpus_case():
    torch.manual_seed(0)
    model = RespiratoryNet().eval()
    reference = RespiratoryNet(capture_qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
