# expect: none
"""Batched keyword spotter for variable-length clips: clips are right-padded with zeros and the
true lengths are passed in; padded frames are masked out of the statistics pooling."""
import math

import torch
import torch.nn as nn


class LogSpectrogram(nn.Module):
    def __init__(self, n_fft=256, hop=128):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)

    def forward(self, wave):
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True)
        return torch.log1p(spec.abs() ** 2)                            # (B, F, T)


class PaddedKWS(nn.Module):
    def __init__(self, num_classes=12, hop=128, hidden=96):
        super().__init__()
        self.hop = hop
        self.frontend = LogSpectrogram(hop=hop)
        self.norm = nn.InstanceNorm1d(129, affine=True)
        self.tdnn = nn.Sequential(nn.Conv1d(129, hidden, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(hidden, hidden, 3, padding=2, dilation=2), nn.ReLU())
        self.fc = nn.Linear(2 * hidden, num_classes)

    def forward(self, wave, lengths):
        feats = self.tdnn(self.norm(self.frontend(wave)))                # (B, H, T)
        frames = torch.div(lengths, self.hop, rounding_mode="floor") + 1
        valid = (torch.arange(feats.shape[-1])[None] < frames[:, None]).to(feats.dtype)[:, None]
        count = valid.sum(-1).clamp_min(1.0)
        mean = (feats * valid).sum(-1) / count
        var = ((feats - mean[..., None]) ** 2 * valid).sum(-1) / count
        return self.fc(torch.cat([mean, var.clamp_min(1e-6).sqrt()], 1))


def corpus_case():
    torch.manual_seed(0)
    model = PaddedKWS().eval()

    def inputs(n):
        lengths = torch.randint(2000, 4001, (n,))
        t = torch.arange(4000) / 8000.0
        wave = 0.3 * torch.sin(2 * math.pi * (300 + 1200 * torch.rand(n, 1)) * t) + 0.05 * torch.randn(n, 4000)
        wave = wave * (torch.arange(4000)[None] < lengths[:, None])
        return wave, lengths

    return {"model": model, "inputs": inputs, "kind": "benign"}
