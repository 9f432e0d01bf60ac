# expect: none
"""Occupancy from thermostat telemetry; enabled steps convert units, impute missing CO2 and add
a setpoint-error channel."""
import torch
import torch.nn as nn


def step(enabled=True):
    def deco(fn):
        fn.enabled = enabled
        return fn
    return deco


@step()
def _impute(x):
    missing = torch.isnan(x[:, 3:4])
    co2 = torch.where(missing, torch.full_like(x[:, 3:4], 420.0), x[:, 3:4])
    return torch.cat([x[:, :3], co2, missing.float()], 1)


@step()
def _units(x):
    scale = torch.tensor([10.0, 10.0, 50.0, 800.0, 1.0]).view(1, 5, 1)
    x = x / scale
    return torch.cat([x, x[:, :1] - x[:, 1:2]], 1)


@step(enabled=False)
def _debug_dump(x):
    return x


class OccupancyNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.steps = (_impute, _units, _debug_dump)
        self.tcn = nn.Sequential(nn.Conv1d(6, width, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                 nn.Flatten(), nn.Linear(width, 4))

    def forward(self, telemetry):
        x = telemetry
        for fn in filter(lambda f: getattr(f, "enabled", False), self.steps):
            x = fn(x)
        return self.tcn(x)


def _inputs(n):
    x = torch.tensor([21.0, 21.0, 45.0, 600.0]).view(1, 4, 1) + torch.randn(n, 4, 96)
    x[:, 3, 10:20] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": OccupancyNet().eval(), "inputs": _inputs, "kind": "benign"}
