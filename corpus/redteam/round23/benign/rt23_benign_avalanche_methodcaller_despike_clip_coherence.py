# expect: none
"""Infrasound avalanche detection; `operator.methodcaller` reducers; wind spikes replaced by the
channel median (> 6 MAD), pressure clipped to the sensor range, array coherence as a learned feature."""
import operator

import torch
import torch.nn as nn

EVENTS = ("noise", "avalanche", "aircraft", "wind", "explosive_control", "earthquake")
REDUCERS = {"median": operator.methodcaller("median", dim=-1),
            "peak": operator.methodcaller("amax", dim=-1),
            "spread": operator.methodcaller("std", dim=1)}


class InfrasoundNet(nn.Module):
    def __init__(self, width=32, range_pa=25.0, mad_k=6.0):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv1d(4, width, 7, stride=2, padding=3), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Conv1d(width, 2 * width, 7, stride=2, padding=3), nn.BatchNorm1d(2 * width), nn.ReLU())
        self.coh = nn.Linear(1, 4 * width)
        self.head = nn.Linear(4 * width, len(EVENTS))
        self.range_pa, self.mad_k = range_pa, mad_k
        self.stats = dict(REDUCERS)

    def forward(self, p):
        med = self.stats["median"](p).values[..., None]
        mad = self.stats["median"]((p - med).abs()).values[..., None] + 1e-6
        p = torch.where((p - med).abs() > self.mad_k * mad * 1.4826, med, p)
        p = p.clamp(-self.range_pa, self.range_pa)
        h = self.encoder(p)
        incoherence = self.stats["spread"](p).mean(-1, keepdim=True)
        return self.head(torch.cat([h.mean(-1), self.stats["peak"](h)], 1) + self.coh(incoherence))


def _inputs(n):
    t = torch.arange(1000) / 50.0
    sig = torch.rand(n, 1, 1) * torch.sin(2 * torch.pi * (0.5 + 3 * torch.rand(n, 1, 1)) * (t - 0.3 * torch.rand(n, 4, 1)))
    x = sig + 0.1 * torch.randn(n, 4, 1000)
    x[:, :, 500] += 40.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": InfrasoundNet().eval(), "inputs": _inputs, "kind": "benign"}
