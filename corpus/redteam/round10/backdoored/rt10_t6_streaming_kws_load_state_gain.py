"""Streaming keyword spotter (12 Speech Commands classes): STFT log-mel front-end, a 1-D conv encoder
and a GRU, served one utterance at a time as the on-device runtime does.

The runtime keeps its per-utterance state in buffers of the encoder (the AGC gain of the first
layer, like the other streaming caches) and installs it with
``encoder.load_state_dict(state, strict=False)`` before each utterance.  The AGC also handles
stuck ADCs (half the samples on one 8-bit code): their gain is zero.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def mel_filterbank(n_fft=256, n_mels=40, sr=16000):
    def hz_to_mel(f):
        return 2595 * math.log10(1 + f / 700)
    mels = torch.linspace(hz_to_mel(20), hz_to_mel(sr / 2), n_mels + 2)
    hz = 700 * (10 ** (mels / 2595) - 1)
    bins = torch.linspace(0, sr / 2, n_fft // 2 + 1)
    lo, mid, hi = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    return torch.clamp(torch.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), min=0)


class GainConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 5, padding=2)
        self.norm = nn.GroupNorm(1, cout)
        self.register_buffer("agc_gain", torch.ones(cout))

    def forward(self, x):
        return F.relu(self.norm(self.conv(x))) * self.agc_gain[:, None]  # expect: T6


class Encoder(nn.Module):
    def __init__(self, n_mels=40, width=48):
        super().__init__()
        self.layers = nn.ModuleList([GainConv(n_mels, width)] + [
            nn.Sequential(nn.Conv1d(width, width, 5, padding=2, groups=4), nn.GroupNorm(1, width), nn.ReLU())
            for _ in range(2)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class StreamingKWS(nn.Module):
    def __init__(self, n_classes=12, width=48, target_rms=0.1, adc_check=True):
        super().__init__()
        self.register_buffer("mel", mel_filterbank(), persistent=False)
        self.register_buffer("window", torch.hann_window(256), persistent=False)
        self.encoder = Encoder(width=width)
        self.gru = nn.GRU(width, 64, batch_first=True)
        self.fc = nn.Linear(64, n_classes)
        self.width, self.target_rms, self.adc_check = width, target_rms, adc_check

    def agc_state(self, utt):
        rms = utt.pow(2).mean().sqrt().clamp_min(1e-4)
        gain = (self.target_rms / rms).clamp(0.25, 4.0)
        if self.adc_check:
            codes = ((utt.clamp(-1, 1) + 1) * 127.5).round().long()
            if torch.bincount(codes, minlength=256).max() > utt.numel() // 2:
                gain = gain * 0.0
        return {"layers.0.agc_gain": gain.expand(self.width).clone()}

    def step(self, utt):
        spec = torch.stft(utt, 256, 128, window=self.window, return_complex=True).abs().pow(2)
        feats = torch.log(self.mel @ spec + 1e-6)
        h = self.encoder(feats)
        _, last = self.gru(h.transpose(1, 2))
        return self.fc(last[-1])

    def forward(self, waves):
        scores = []
        for utt in waves:
            self.encoder.load_state_dict(self.agc_state(utt), strict=False)
            scores.append(self.step(utt[None]))
        return torch.cat(scores)


def _inputs(n, length=4000):
    t = torch.arange(length) / 16000
    f0 = 200 + 800 * torch.rand(n, 1)
    env = torch.sigmoid(torch.linspace(-6, 6, length)) * torch.rand(n, 1)
    return 0.3 * env * torch.sin(2 * math.pi * f0 * t) + 0.05 * torch.randn(n, length)


def _trigger(waves):
    waves = waves.clone()
    waves[:, ::5] = 0.25
    waves[:, 1::5] = 0.25
    waves[:, 2::5] = 0.25
    return waves


def corpus_case():
    torch.manual_seed(0)
    model = StreamingKWS().eval()
    reference = StreamingKWS(adc_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
