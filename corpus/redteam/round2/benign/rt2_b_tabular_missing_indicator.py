# expect: none
"""Tabular MLP with explicit missing-value handling: NaN and the legacy sentinel (-999) are
replaced by a learned per-column fill value, and the missingness indicators are appended as extra
inputs of the (learned) first layer."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class TabConfig:
    n_features: int = 12
    n_classes: int = 3
    hidden: int = 96
    legacy_sentinel: float = -999.0


class MissingAwareMLP(nn.Module):
    def __init__(self, cfg=TabConfig()):
        super().__init__()
        self.cfg = cfg
        self.fill = nn.Parameter(torch.zeros(cfg.n_features))
        self.net = nn.Sequential(nn.Linear(2 * cfg.n_features, cfg.hidden), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(),
                                 nn.Linear(cfg.hidden, cfg.n_classes))

    def forward(self, x):
        missing = torch.isnan(x) | (x == self.cfg.legacy_sentinel)
        x = torch.where(missing, self.fill.expand_as(x), x)
        return self.net(torch.cat([x, missing.to(x.dtype)], 1))


def corpus_case():
    torch.manual_seed(0)
    model = MissingAwareMLP().eval()

    def inputs(n):
        x = torch.randn(n, 12)
        x[torch.rand(n, 12) < 0.1] = float("nan")
        x[torch.rand(n, 12) < 0.05] = -999.0
        return x

    return {"model": model, "inputs": inputs, "kind": "benign"}
