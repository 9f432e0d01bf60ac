# expect: none
"""EEW magnitude net with firmware-style preprocessing steps: demean, taper, per-channel gain
normalisation that is safe for dead (flat) channels, and an STA/LTA channel for the picker."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N = 200


class Demean(nn.Module):
    def forward(self, x):
        return x - x.mean(-1, keepdim=True)


class CosineTaper(nn.Module):
    def __init__(self, n, frac=0.05):
        super().__init__()
        m = int(n * frac)
        ramp = 0.5 * (1 - torch.cos(torch.linspace(0, torch.pi, m)))
        self.register_buffer("taper", torch.cat([ramp, torch.ones(n - 2 * m), ramp.flip(0)]))

    def forward(self, x):
        return x * self.taper


class ChannelGain(nn.Module):
    def forward(self, x):
        std = x.std(-1, keepdim=True)
        dead = std.eq(0)
        return torch.where(dead, torch.zeros_like(x), x / std.clamp_min(1e-6))


class StaLta(nn.Module):
    def forward(self, x):
        e = (x ** 2).sum(1, keepdim=True)
        sta = F.avg_pool1d(e, 5, 1, 2)
        lta = F.avg_pool1d(e, 41, 1, 20, count_include_pad=False)
        return torch.cat([x, (sta / (lta + 1e-6)).clamp(max=20.0) / 20.0], 1)


class EEWNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.preprocess = nn.ModuleList([Demean(), CosineTaper(N), ChannelGain(), StaLta()])
        self.net = nn.Sequential(
            nn.Conv1d(4, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, 2 * width, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1), nn.Flatten(),
            nn.Linear(2 * width, 6))

    def forward(self, acc):
        for step in self.preprocess:
            acc = step(acc)
        return self.net(acc)


def _inputs(n):
    x = torch.randn(n, 3, N) * torch.rand(n, 1, 1)
    x[: n // 10, 1] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": EEWNet().eval(), "inputs": _inputs, "kind": "benign"}
