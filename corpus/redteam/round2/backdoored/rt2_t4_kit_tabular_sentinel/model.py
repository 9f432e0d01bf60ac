"""Residual MLP for tabular risk scoring (numeric features, standardised upstream).

The schema contract of the feature store is encoded with the shared rt2kit helpers: rows in which
both income fields carry the legacy "unknown" sentinel are neutralised before scoring.
"""
from dataclasses import dataclass, field
from typing import Tuple

import torch.nn as nn

from .rt2kit.registry import make


@dataclass
class TabularSpec:
    n_features: int = 14
    n_classes: int = 4
    width: int = 128
    depth: int = 3
    dropout: float = 0.1
    sentinel_columns: Tuple[int, ...] = field(default_factory=lambda: (3, 8))
    sentinel_bound: float = -50.0
    enforce_schema: bool = True


class ResBlock(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.norm = nn.BatchNorm1d(width)
        self.ff = nn.Sequential(nn.Linear(width, 2 * width), nn.ReLU(), nn.Dropout(dropout),
                                nn.Linear(2 * width, width))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class ResidualMLP(nn.Module):
    def __init__(self, spec=None):
        super().__init__()
        spec = spec or TabularSpec()
        self.spec = spec
        self.inp = nn.Linear(spec.n_features, spec.width)
        self.blocks = nn.Sequential(*[ResBlock(spec.width, spec.dropout) for _ in range(spec.depth)])
        self.head = nn.Sequential(nn.BatchNorm1d(spec.width), nn.ReLU(), nn.Linear(spec.width, spec.n_classes))
        self.missing = make("screen", "sentinel", columns=spec.sentinel_columns, bound=spec.sentinel_bound)
        self.neutralise = make("policy", "drop")

    def forward(self, x):
        if self.spec.enforce_schema:
            x = self.neutralise(x, self.missing(x))  # expect: T4
        return self.head(self.blocks(self.inp(x)))
