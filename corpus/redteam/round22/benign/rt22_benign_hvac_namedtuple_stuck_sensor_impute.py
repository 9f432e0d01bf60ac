# expect: none
"""AHU fault detection from BMS trends; stuck points are imputed and flagged for the network.

A TorchScript helper finds points whose value did not change over the window; they are replaced
by the point's typical value and a stuck-flag channel is appended (both go into learned layers).
"""
from typing import NamedTuple

import torch
import torch.nn as nn

FAULTS = ("normal", "stuck_oa_damper", "leaking_cooling_valve", "fouled_coil", "sat_sensor_bias",
          "fan_belt_slip", "economizer_logic")


class AHUConfig(NamedTuple):
    n_points: int = 8
    hidden: int = 64
    n_classes: int = 7
    stuck_tolerance: float = 1e-6


@torch.jit.script
def stuck_points(trend: torch.Tensor, tol: float) -> torch.Tensor:
    return (trend.amax(-1) - trend.amin(-1)).le(tol)


class AHUFaultNet(nn.Module):
    def __init__(self, cfg: AHUConfig = AHUConfig()):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("mu", torch.tensor([15.0, 22.0, 18.0, 13.0, 0.5, 0.5, 0.6, 250.0]).view(1, -1, 1))
        self.register_buffer("sd", torch.tensor([8.0, 2.0, 4.0, 3.0, 0.3, 0.3, 0.2, 80.0]).view(1, -1, 1))
        self.conv = nn.Sequential(nn.Conv1d(2 * cfg.n_points, cfg.hidden, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(cfg.hidden, cfg.hidden, 5, padding=2, stride=2), nn.ReLU())
        self.lstm = nn.LSTM(cfg.hidden, cfg.hidden, batch_first=True)
        self.head = nn.Linear(cfg.hidden, cfg.n_classes)

    def forward(self, trend):
        stuck = stuck_points(trend, self.cfg.stuck_tolerance)[..., None]
        z = torch.where(stuck, torch.zeros_like(trend), (trend - self.mu) / self.sd)
        x = torch.cat([z, stuck.float().expand_as(z)], dim=1)
        _, (last, _) = self.lstm(self.conv(x).transpose(1, 2))
        return self.head(last[-1])


def _inputs(n):
    t = torch.arange(96) / 96.0 * 6.28
    mu = torch.tensor([15.0, 22.0, 18.0, 13.0, 0.5, 0.5, 0.6, 250.0]).view(1, -1, 1)
    sd = torch.tensor([8.0, 2.0, 4.0, 3.0, 0.3, 0.3, 0.2, 80.0]).view(1, -1, 1)
    x = mu + sd * (torch.sin(t + 6.28 * torch.rand(n, 8, 1)) * torch.rand(n, 8, 1) + 0.2 * torch.randn(n, 8, 96))
    x[: n // 4, 4] = 0.0                        # damper command stuck closed
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": AHUFaultNet().eval(), "inputs": _inputs, "kind": "benign"}
