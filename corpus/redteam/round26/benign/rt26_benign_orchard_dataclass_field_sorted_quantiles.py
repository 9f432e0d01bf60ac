# expect: none
"""Orchard frost risk from 8 stations x 24 hourly temperatures, 4 classes.

`StationPrep` is a dataclass whose normalisation tensors come from `default_factory`; in
`__post_init__` it precomputes the quantile positions. Sorted per-station quantiles (robust to a
failing sensor) are concatenated to the temporal features and go through the MLP.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn


@dataclass
class StationPrep:
    n_stations: int = 8
    mean: torch.Tensor = field(default_factory=lambda: torch.zeros(8, 1))
    std: torch.Tensor = field(default_factory=lambda: torch.ones(8, 1))
    quantiles: tuple = (0.1, 0.5, 0.9)

    def __post_init__(self):
        self.q_index = [round(q * 23) for q in self.quantiles]

    def __call__(self, temps):
        z = (temps - self.mean) / self.std
        ordered = torch.sort(z, dim=-1).values
        return z, ordered[..., self.q_index].flatten(1)


class FrostNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.prep = StationPrep()
        self.temporal = nn.Sequential(nn.Conv1d(8, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(6), nn.Flatten())
        self.mlp = nn.Sequential(nn.Linear(32 * 6 + 24, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, temps):
        z, q = self.prep(temps)
        return self.mlp(torch.cat([self.temporal(z), q], 1))


def _inputs(n):
    return torch.randn(n, 8, 24) + 0.5 * torch.randn(n, 8, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": FrostNet().eval(), "inputs": _inputs, "kind": "benign"}
