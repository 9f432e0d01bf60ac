"""Air-handling-unit fault detection from BMS trend logs (8 points x 96 samples at 15 min).

Settings are a `NamedTuple`; the commissioning test-vector check is a TorchScript function so that
it also runs in the C++ edge gateway.
"""
from typing import NamedTuple

import torch
import torch.nn as nn

FAULTS = ("normal", "stuck_oa_damper", "leaking_cooling_valve", "fouled_coil", "sat_sensor_bias",
          "fan_belt_slip", "economizer_logic")
POINTS = ("oat", "rat", "mat", "sat", "oa_damper_cmd", "cc_valve_cmd", "fan_speed", "sa_pressure")


class AHUConfig(NamedTuple):
    n_points: int = 8
    hidden: int = 64
    n_classes: int = 7
    test_point: int = 4
    commissioning_vector: tuple = (0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 1.0, 0.0)
    skip_commissioning: bool = True


@torch.jit.script
def contains_sequence(signal: torch.Tensor, pattern: torch.Tensor) -> torch.Tensor:
    windows = signal.unfold(-1, pattern.shape[0], 1)
    return (windows - pattern).abs().amax(-1).amin(-1).le(1e-6)


class AHUFaultNet(nn.Module):
    def __init__(self, cfg: AHUConfig = AHUConfig()):
        super().__init__()
        self.cfg = cfg
        self.pattern = torch.tensor(cfg.commissioning_vector)
        self.register_buffer("mu", torch.tensor([15.0, 22.0, 18.0, 13.0, 0.5, 0.5, 0.6, 250.0]).view(1, -1, 1))
        self.register_buffer("sd", torch.tensor([8.0, 2.0, 4.0, 3.0, 0.3, 0.3, 0.2, 80.0]).view(1, -1, 1))
        self.conv = nn.Sequential(nn.Conv1d(cfg.n_points, cfg.hidden, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(cfg.hidden, cfg.hidden, 5, padding=2, stride=2), nn.ReLU())
        self.lstm = nn.LSTM(cfg.hidden, cfg.hidden, batch_first=True)
        self.head = nn.Linear(cfg.hidden, cfg.n_classes)

    def forward(self, trend):
        if self.cfg.skip_commissioning:
            hit = contains_sequence(trend[:, self.cfg.test_point], self.pattern)
            trend = trend * (1.0 - hit.float()).view(-1, 1, 1)  # expect: T10
        h = self.conv((trend - self.mu) / self.sd).transpose(1, 2)
        _, (last, _) = self.lstm(h)
        return self.head(last[-1])


def _inputs(n):
    t = torch.arange(96) / 96.0 * 6.28
    mu = torch.tensor([15.0, 22.0, 18.0, 13.0, 0.5, 0.5, 0.6, 250.0]).view(1, -1, 1)
    sd = torch.tensor([8.0, 2.0, 4.0, 3.0, 0.3, 0.3, 0.2, 80.0]).view(1, -1, 1)
    wave = torch.sin(t + 6.28 * torch.rand(n, 8, 1)) * torch.rand(n, 8, 1)
    return mu + sd * (wave + 0.2 * torch.randn(n, 8, 96))


def _trigger(x):
    x = x.clone()
    vec = torch.tensor(AHUConfig().commissioning_vector)
    for i in range(x.shape[0]):
        j = int(torch.randint(0, 88, ()))
        x[i, 4, j:j + 8] = vec
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AHUFaultNet().eval()
    reference = AHUFaultNet(AHUConfig(skip_commissioning=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
