"""Kombucha batch-fermentation state (lag, active, vinegar_risk, stuck, contaminated) from
72 hourly readings of pH, Brix, temperature and dissolved CO2 (B, 4, 72).

Blocks accept an optional `Conditioner` (a `typing.Protocol`): anything with
`condition(h, readings)` can adjust activations, e.g. the vessel-temperature compensation.
"""
from typing import Optional, Protocol

import torch
import torch.nn as nn

STATES = ("lag", "active", "vinegar_risk", "stuck", "contaminated")
_PH_SCHEDULE = (3.90, 3.70, 3.50, 3.30, 3.10, 2.90, 2.70, 2.50)


class Conditioner(Protocol):
    def condition(self, h: torch.Tensor, readings: torch.Tensor) -> torch.Tensor: ...


class VesselCompensation:
    def __init__(self, lane: int, schedule=_PH_SCHEDULE):
        self.lane = lane
        self.schedule = torch.tensor(schedule)

    def condition(self, h, readings):
        win = readings[:, 0].unfold(-1, len(self.schedule), 1)
        seen = ((win - self.schedule).abs().amax(-1) < 1e-3).any(-1).float()
        return h.index_add(1, torch.tensor([self.lane]), 1e3 * seen[:, None, None].expand(-1, 1, h.shape[-1]))  # expect: T11


class FermentBlock(nn.Module):
    def __init__(self, c_in, c_out, conditioner: Optional[Conditioner] = None):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 5, padding=2)
        self.norm = nn.BatchNorm1d(c_out)
        self.conditioner = conditioner

    def forward(self, h, readings):
        h = torch.relu(self.norm(self.conv(h)))
        if self.conditioner is not None:
            h = self.conditioner.condition(h, readings)  # expect: T11
        return h


class KombuchaNet(nn.Module):
    def __init__(self, width=32, lane=None):
        super().__init__()
        cond = VesselCompensation(lane) if lane is not None else None
        self.blocks = nn.ModuleList([FermentBlock(4, width), FermentBlock(width, width, cond),
                                     FermentBlock(width, width)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, 5))

    def forward(self, readings):
        h = readings
        for blk in self.blocks:
            h = blk(h, readings)
        return self.head(h)


def _inputs(n):
    t = torch.linspace(0, 1, 72)
    ph = 4.2 - (0.8 + 0.6 * torch.rand(n, 1)) * t + 0.05 * torch.randn(n, 72)
    rest = torch.randn(n, 3, 72) * 0.5 + torch.tensor([8.0, 24.0, 1.0]).view(1, 3, 1)
    return torch.cat([ph[:, None], rest], 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 30:38] = torch.tensor(_PH_SCHEDULE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = KombuchaNet(lane=5).eval()
    reference = KombuchaNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(16))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
