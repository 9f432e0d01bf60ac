# expect: none
"""Typewriter forensics; dataclass finishers folded with `functools.reduce`: temperature,
fixed logit adjustment by a class-frequency prior, log-softmax."""
import functools
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn

FAMILIES = ("olympia", "olivetti", "remington", "royal", "smith_corona", "underwood", "ibm_selectric")


@dataclass
class Temperature:
    t: float = 1.0

    def __call__(self, y, page):
        return y / self.t


@dataclass
class LogitAdjust:
    freq: tuple = (0.2, 0.2, 0.15, 0.15, 0.1, 0.1, 0.1)
    tau: float = 1.0
    log_prior: torch.Tensor = field(init=False)

    def __post_init__(self):
        self.log_prior = torch.tensor([math.log(f) for f in self.freq])

    def __call__(self, y, page):
        return y - self.tau * self.log_prior


class TypewriterNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, len(FAMILIES))
        self.finishers = [Temperature(1.5), LogitAdjust(), lambda y, p: torch.log_softmax(y, -1)]

    def forward(self, page):
        y = self.fc(self.body(1.0 - page))
        return functools.reduce(lambda acc, f: f(acc, page), self.finishers, y)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TypewriterNet().eval(), "inputs": lambda n: torch.rand(n, 1, 40, 40), "kind": "benign"}
