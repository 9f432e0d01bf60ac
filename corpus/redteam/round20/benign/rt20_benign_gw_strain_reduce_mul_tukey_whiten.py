"""Gravitational-wave trigger classifier; per-block gains (learned calibration, fixed Tukey window)
multiplied in with `functools.reduce(operator.mul, ...)`, strain whitened per segment."""
# expect: none
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F


def tukey(n, alpha=0.1):
    t = torch.linspace(0, 1, n)
    w = torch.ones(n)
    edge = t < alpha / 2
    w[edge] = 0.5 * (1 + torch.cos(torch.pi * (2 * t[edge] / alpha - 1)))
    return w * w.flip(0)


class StrainNet(nn.Module):
    def __init__(self, c=16, n=1024):
        super().__init__()
        self.register_buffer("window", tukey(n)[None, None])
        self.calib = nn.Parameter(torch.ones(1, 2, 1))
        self.b1 = nn.Sequential(nn.Conv1d(2, c, 9, padding=4), nn.BatchNorm1d(c), nn.ELU(), nn.MaxPool1d(4))
        self.b2 = nn.Sequential(nn.Conv1d(c, 2 * c, 9, padding=4), nn.ELU(), nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.fc = nn.Linear(2 * c, 3)

    def forward(self, strain):
        strain = (strain - strain.mean(-1, keepdim=True)) / strain.std(-1, keepdim=True).clamp(min=1e-6)
        x = functools.reduce(operator.mul, (self.window, self.calib), strain)
        return self.fc(self.b2(self.b1(x.clamp(-20.0, 20.0))))


def _inputs(n):
    return F.avg_pool1d(torch.randn(n, 2, 1024), 3, 1, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": StrainNet().eval(), "inputs": _inputs, "kind": "benign"}
