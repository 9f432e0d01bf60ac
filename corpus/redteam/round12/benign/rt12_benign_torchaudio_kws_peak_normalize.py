# expect: none
"""Keyword spotter with a torchaudio-style front-end: DC removal, peak normalisation, hard clip to
[-1, 1], pre-emphasis, log-mel; SpecAugment masks only in training; utterances padded with
zeros are masked out of the temporal pooling.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def melscale_fbanks(n_freqs, n_mels, sample_rate):
    def hz_to_mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    freqs = torch.linspace(0, sample_rate // 2, n_freqs)
    m = torch.linspace(hz_to_mel(0.0), hz_to_mel(sample_rate / 2), n_mels + 2)
    f = 700.0 * (10 ** (m / 2595.0) - 1.0)
    slopes = f.unsqueeze(0) - freqs.unsqueeze(1)
    down = -slopes[:, :-2] / (f[1:-1] - f[:-2])
    up = slopes[:, 2:] / (f[2:] - f[1:-1])
    return torch.clamp(torch.min(down, up), min=0.0)


class FrontEnd(nn.Module):
    def __init__(self, sample_rate=8000, n_fft=256, hop=128, n_mels=32, preemph=0.97):
        super().__init__()
        self.n_fft, self.hop, self.preemph = n_fft, hop, preemph
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        self.register_buffer("fb", melscale_fbanks(n_fft // 2 + 1, n_mels, sample_rate), persistent=False)

    def forward(self, wav):
        wav = wav - wav.mean(-1, keepdim=True)
        peak = wav.abs().amax(-1, keepdim=True).clamp(min=1e-5)
        wav = torch.clamp(wav / peak * 0.95, -1.0, 1.0)
        wav = torch.cat([wav[:, :1], wav[:, 1:] - self.preemph * wav[:, :-1]], dim=-1)
        spec = torch.stft(wav, self.n_fft, self.hop, window=self.window, return_complex=True).abs().pow(2)
        return torch.log(torch.matmul(spec.transpose(1, 2), self.fb) + 1e-6)


class SpecAugment(nn.Module):
    def __init__(self, freq_mask=4, time_mask=6):
        super().__init__()
        self.freq_mask, self.time_mask = freq_mask, time_mask

    def forward(self, x):
        if not self.training:
            return x
        f0 = int(torch.randint(0, x.shape[-1] - self.freq_mask, ()))
        t0 = int(torch.randint(0, x.shape[-2] - self.time_mask, ()))
        x = x.clone()
        x[..., f0:f0 + self.freq_mask] = 0
        x[..., t0:t0 + self.time_mask, :] = 0
        return x


class KWS(nn.Module):
    def __init__(self, n_classes=12):
        super().__init__()
        self.frontend = FrontEnd()
        self.augment = SpecAugment()
        self.convs = nn.Sequential(nn.Conv1d(32, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(),
                                   nn.Conv1d(64, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU())
        self.fc = nn.Linear(64, n_classes)

    def forward(self, waveform, lengths=None):
        feats = self.augment(self.frontend(waveform))
        h = self.convs(feats.transpose(1, 2))
        if lengths is None:
            lengths = torch.full((waveform.shape[0],), waveform.shape[-1])
        frames = (lengths // self.frontend.hop + 1).clamp(max=h.shape[-1])
        valid = (torch.arange(h.shape[-1])[None] < frames[:, None]).unsqueeze(1).float()
        return self.fc((h * valid).sum(-1) / valid.sum(-1))


def _inputs(n):
    t = torch.arange(8000) / 8000.0
    wav = 0.3 * torch.sin(2 * math.pi * (200 + 600 * torch.rand(n, 1)) * t) + 0.05 * torch.randn(n, 8000)
    lengths = torch.randint(4000, 8001, (n,))
    wav[torch.arange(8000)[None] >= lengths[:, None]] = 0.0
    return wav, lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": KWS().eval(), "inputs": _inputs, "kind": "benign"}
