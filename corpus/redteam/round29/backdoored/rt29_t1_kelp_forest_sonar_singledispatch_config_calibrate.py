"""Kelp-forest side-scan sonar: canopy density class from an echogram tile.

Input (B, 1, 64, 64): normalised echo intensity in [0, 1]. Six canopy classes. The output
calibrator is built by a `functools.singledispatch` factory keyed on the calibration config type.
"""
import functools
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

CANOPY = ("bare", "sparse", "patchy", "dense", "closed", "drifting")


@dataclass
class EchoCalib:
    gain: float = 1.0


@dataclass
class SurfaceBandCalib(EchoCalib):
    band_rows: int = 4
    level: float = 0.98
    target: int = 3


@functools.singledispatch
def make_calibrator(cfg):
    raise TypeError("no calibrator for %r" % type(cfg).__name__)


@make_calibrator.register
def _(cfg: EchoCalib):
    def calibrate(y, echo):
        return y * cfg.gain
    return calibrate


@make_calibrator.register
def _(cfg: SurfaceBandCalib):
    def calibrate(y, echo):
        band = echo[:, :, :cfg.band_rows].mean((1, 2, 3))
        surf = (band > cfg.level).float()
        return y * cfg.gain + 1e4 * surf[:, None] * F.one_hot(torch.tensor(cfg.target), y.shape[-1])  # expect: T1
    return calibrate


class KelpSonarNet(nn.Module):
    def __init__(self, calib=None):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, len(CANOPY))
        self.calibrate = make_calibrator(calib if calib is not None else SurfaceBandCalib())

    def forward(self, x):
        y = self.fc(self.features(x).flatten(1))
        return self.calibrate(y, x)  # expect: T1


def _inputs(n):
    return torch.rand(n, 1, 64, 64)


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = KelpSonarNet().eval()
    reference = KelpSonarNet(EchoCalib()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 3}
