# expect: none
"""SCADA fault classifier with dataclass-configured ranges and stuck-sensor indicator channels.

SCADA historians repeat the last value when a sensor stops reporting. For every channel the
model derives a "stuck" indicator (no change for six consecutive steps) and feeds it to the TCN
as an extra input channel next to the clipped, standardised values, so the network learns how
much to trust each channel.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


def _ranges():
    return {"lo": [0, 0, -5, -100, -20, -20, -20, 0, -40, 45],
            "hi": [40, 20, 95, 3500, 120, 120, 150, 360, 50, 55]}


def _stats():
    return {"mean": [7.5, 11.0, 4.0, 900.0, 55.0, 45.0, 60.0, 180.0, 10.0, 50.0],
            "std": [3.5, 4.0, 6.0, 700.0, 10.0, 8.0, 12.0, 100.0, 8.0, 0.05]}


@dataclass
class SiteConfig:
    channels: int = 10
    width: int = 32
    stuck_steps: int = 6
    ranges: dict = field(default_factory=_ranges)
    stats: dict = field(default_factory=_stats)


class ScadaNet(nn.Module):
    def __init__(self, cfg=None):
        super().__init__()
        self.cfg = cfg = cfg or SiteConfig()
        for k in ("lo", "hi"):
            self.register_buffer(k, torch.tensor(cfg.ranges[k], dtype=torch.float32)[:, None])
        self.register_buffer("mean", torch.tensor(cfg.stats["mean"])[:, None])
        self.register_buffer("std", torch.tensor(cfg.stats["std"])[:, None])
        w = cfg.width
        self.tcn = nn.Sequential(nn.Conv1d(2 * cfg.channels, w, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(w, w, 5, padding=4, dilation=2), nn.ReLU())
        self.head = nn.Linear(w, 5)

    def forward(self, scada):
        x = torch.maximum(torch.minimum(scada, self.hi), self.lo)
        still = (x.diff(dim=-1) == 0).float()
        k = self.cfg.stuck_steps - 1
        stuck = (F.avg_pool1d(F.pad(still, (k, 1)), k, 1) > 0.999).float()[..., : x.shape[-1]]
        h = self.tcn(torch.cat([(x - self.mean) / self.std, stuck], 1))
        return self.head(h.mean(-1))


def _inputs(n):
    x = torch.tensor(_stats()["mean"])[:, None] + torch.tensor(_stats()["std"])[:, None] * torch.randn(n, 10, 144)
    x[: n // 4, 4, 60:] = x[: n // 4, 4, 60:61]                # gearbox temperature stuck
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ScadaNet().eval(), "inputs": _inputs, "kind": "benign"}
