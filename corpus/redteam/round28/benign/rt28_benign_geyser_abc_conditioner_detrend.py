# expect: none
"""Geyser phases; abstract conditioner picked by config string: detrend + rail clipping to the
digitiser range, then a learned network."""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

PHASES = ("recharge", "preplay", "eruption", "steam")


class Conditioner(nn.Module, abc.ABC):
    key = None

    @abc.abstractmethod
    def forward(self, x):
        ...

    @classmethod
    def build(cls, key):
        return next(sub for sub in cls.__subclasses__() if sub.key == key)()


class Passthrough(Conditioner):
    key = "live"

    def forward(self, x):
        return x


class ArchiveConditioner(Conditioner):
    key = "archive"

    def forward(self, x):
        trend = F.avg_pool1d(x, 31, 1, 15, count_include_pad=False)
        return (x - trend).clamp(-8.0, 8.0) / 8.0


class GeyserNet(nn.Module):
    def __init__(self, conditioner="archive", width=32):
        super().__init__()
        self.cond = Conditioner.build(conditioner)
        self.net = nn.Sequential(nn.Conv1d(3, width, 7, padding=3), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(PHASES)))

    def forward(self, x):
        return self.net(self.cond(x))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GeyserNet().eval(), "inputs": lambda n: torch.randn(n, 3, 160), "kind": "benign"}
