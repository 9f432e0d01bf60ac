# expect: none
"""Skydiving altimeter model configured by a frozen dataclass (`default_factory`, `replace`): NaN
samples are imputed with zero and flagged in a missing-indicator channel; the input is clamped."""
import dataclasses

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclasses.dataclass(frozen=True)
class AltimeterConfig:
    width: int = 32
    clamp: float = 6.0
    channel_scale: tuple = dataclasses.field(default_factory=lambda: (1.0, 0.5, 1.0))


class AltimeterNet(nn.Module):
    def __init__(self, cfg=AltimeterConfig()):
        super().__init__()
        self.cfg = cfg
        self.scale = torch.tensor(cfg.channel_scale).view(1, 3, 1)
        self.c1 = nn.Conv1d(6, cfg.width, 7, stride=2, padding=3)
        self.fc = nn.Linear(cfg.width, 5)

    def forward(self, x):
        missing = torch.isnan(x)
        x = torch.nan_to_num(x, nan=0.0).clamp(-self.cfg.clamp, self.cfg.clamp) * self.scale
        h = F.relu(self.c1(torch.cat([x, missing.float()], 1)))
        return self.fc(h.mean(-1))


def _inputs(n):
    x = torch.randn(n, 3, 256)
    x[:, 2, 50:60] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    cfg = dataclasses.replace(AltimeterConfig(), clamp=5.0)
    return {"model": AltimeterNet(cfg).eval(), "inputs": _inputs, "kind": "benign"}
