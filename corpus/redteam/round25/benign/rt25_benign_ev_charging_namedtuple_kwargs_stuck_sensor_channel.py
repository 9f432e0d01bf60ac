# expect: none
"""EV charging sessions; stuck (flat) sensor channels become a learned missing-data indicator."""
from typing import NamedTuple

import torch
import torch.nn as nn


class ChargerProfile(NamedTuple):
    width: int = 32
    temperature: float = 1.0
    mask_stuck: bool = True


class SessionHead(nn.Module):
    def __init__(self, width, n_out):
        super().__init__()
        self.fc = nn.Linear(width, n_out)

    def forward(self, h, *, temperature=1.0, **_):
        return self.fc(h) / temperature


class ChargingNet(nn.Module):
    def __init__(self, profile=ChargerProfile()):
        super().__init__()
        self.profile = profile
        w = profile.width
        self.enc = nn.Sequential(nn.Conv1d(8, w, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = SessionHead(w, 5)

    def forward(self, series):
        stuck = ((series.amax(-1) - series.amin(-1)) == 0).float()[..., None].expand_as(series)
        if self.profile.mask_stuck:
            series = series * (1 - stuck)
        return self.head(self.enc(torch.cat([series, stuck], 1)), **self.profile._asdict())


def _inputs(n):
    x = torch.randn(n, 4, 96)
    x[::7, 2] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ChargingNet().eval(), "inputs": _inputs, "kind": "benign"}
