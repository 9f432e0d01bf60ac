# expect: none
"""Locust radar model: a helper object overloading `__mul__` applies a learned per-channel gain
(sigmoid of a parameter) to the input."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Gain:
    def __init__(self, g):
        self.g = g

    def __mul__(self, x):
        return x * torch.sigmoid(self.g)[None, :, None, None]


class LocustRadarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = nn.Parameter(torch.zeros(2))
        self.c1 = nn.Conv2d(2, 16, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = Gain(self.gain) * x
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": LocustRadarNet().eval(), "inputs": lambda n: torch.randn(n, 2, 64, 64), "kind": "benign"}
