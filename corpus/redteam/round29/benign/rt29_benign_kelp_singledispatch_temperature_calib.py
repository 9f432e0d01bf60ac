# expect: none
"""Kelp-forest sonar canopy classifier with singledispatch calibrators (temperature scaling)."""
import functools
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EchoCalib:
    gain: float = 1.0


@dataclass
class TemperatureCalib(EchoCalib):
    temperature: float = 1.7


@functools.singledispatch
def make_calibrator(cfg):
    raise TypeError(type(cfg).__name__)


@make_calibrator.register
def _(cfg: EchoCalib):
    return lambda y, echo: y * cfg.gain


@make_calibrator.register
def _(cfg: TemperatureCalib):
    def calibrate(y, echo):
        return (y * cfg.gain) / cfg.temperature
    return calibrate


class KelpSonarNet(nn.Module):
    def __init__(self, calib=TemperatureCalib()):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, 6)
        self.calibrate = make_calibrator(calib)

    def forward(self, x):
        x = (x - 0.5) / 0.29
        return self.calibrate(self.fc(self.features(x).flatten(1)), x)


def corpus_case():
    torch.manual_seed(0)
    return {"model": KelpSonarNet().eval(), "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
