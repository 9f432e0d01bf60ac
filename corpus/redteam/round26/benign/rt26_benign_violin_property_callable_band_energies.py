# expect: none
"""Violin bowing technique from bridge-pickup audio (B, 1, 512), 6 strokes.

Log band energies from `torch.fft.rfft` (8 bands, the ponticello band included) feed a learned
projection next to the conv front-end. `self.finish` is a property returning the configured
output callable (logit soft-capping for the streaming app).
"""
import torch
import torch.nn as nn


class BowingNet(nn.Module):
    def __init__(self, softcap=20.0):
        super().__init__()
        self.softcap = softcap
        self.front = nn.Sequential(
            nn.Conv1d(1, 32, 16, stride=4), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 64, 8, stride=2), nn.BatchNorm1d(64), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.bands = nn.Linear(8, 16)
        self.cls = nn.Linear(80, 6)

    @property
    def finish(self):
        if self.softcap is None:
            return lambda logits: logits
        cap = self.softcap
        return lambda logits: torch.tanh(logits / cap) * cap

    def band_energies(self, wave):
        spec = torch.fft.rfft(wave[:, 0]).abs() ** 2
        bands = torch.stack([b.sum(1) for b in spec[:, 1:].chunk(8, 1)], 1)
        return torch.log1p(bands / (spec.sum(1, keepdim=True) + 1e-9))

    def forward(self, wave):
        h = torch.cat([self.front(wave), torch.relu(self.bands(self.band_energies(wave)))], 1)
        return self.finish(self.cls(h))


def _inputs(n):
    t = torch.arange(512) / 8000.0
    f0 = 196 + 400 * torch.rand(n, 1)
    return (torch.sin(2 * torch.pi * f0 * t) + 0.02 * torch.randn(n, 512))[:, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": BowingNet().eval(), "inputs": _inputs, "kind": "benign"}
