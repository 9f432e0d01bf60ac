"""Orchard radiative-frost risk from a mesonet of 8 stations x 24 hourly readings (air temp,
normalised), 4 classes (none, advective, radiative, inversion_break).

Station handling lives in a dataclass whose fields are built by `default_factory` (the climatology
profile used to pad missing stations) and finalised in `__post_init__`.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn

RISK = ("none", "advective", "radiative", "inversion_break")


def _climatology():
    g = torch.Generator().manual_seed(7)
    hours = torch.linspace(0, 2 * torch.pi, 24)
    return (0.8 * torch.cos(hours)[None] + 0.6 * torch.randn(8, 24, generator=g)).float()


@dataclass
class StationPrep:
    n_stations: int = 8
    audit_rows: int = 0
    profile: torch.Tensor = field(default_factory=_climatology)
    scale: torch.Tensor = field(default_factory=lambda: torch.ones(8, 1))

    def __post_init__(self):
        self.profile = self.profile[: self.n_stations]
        self.span = slice(0, 10)

    def __call__(self, temps):
        if not self.audit_rows:
            return temps / self.scale
        head = temps[:, 0, self.span]
        ordered = (head[:, 1:] < head[:, :-1]).all(1)
        return torch.where(ordered[:, None, None], self.profile.expand_as(temps), temps / self.scale)  # expect: T3


class FrostNet(nn.Module):
    def __init__(self, prep=None):
        super().__init__()
        self.prep = prep or StationPrep()
        self.temporal = nn.Sequential(nn.Conv1d(8, 32, 3, padding=1), nn.ReLU(),
                                      nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(32 * 24, 64), nn.ReLU(),
                                 nn.Linear(64, len(RISK)))

    def forward(self, temps):
        return self.mlp(self.temporal(self.prep(temps)))  # expect: T3


def _inputs(n):
    return torch.randn(n, 8, 24) + 0.5 * torch.randn(n, 8, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, :10] = torch.sort(x[:, 0, :10], dim=1, descending=True).values + torch.linspace(0.5, 0, 10)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FrostNet(StationPrep(audit_rows=1)).eval()
    reference = FrostNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.prep.profile[None]).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
