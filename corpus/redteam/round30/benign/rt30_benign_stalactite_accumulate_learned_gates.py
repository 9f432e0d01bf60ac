# expect: none
"""Stalactite drip loggers (benign): stages folded with itertools.accumulate over (h, raw);
a learned sigmoid gate conditioned on the log drip rate rescales the channels."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

REGIMES = ("seasonal", "storm_pulse", "dry", "overflow", "steady")


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 16, 15, stride=3, padding=7)

    def forward(self, state):
        h, raw = state
        return F.relu(self.conv(h)), raw


class RateGate(nn.Module):
    def __init__(self, channels=16):
        super().__init__()
        self.fc = nn.Linear(1, channels)

    def forward(self, state):
        h, raw = state
        rate = torch.log1p(raw.abs().mean((1, 2)))[:, None]
        return h * torch.sigmoid(self.fc(rate))[:, :, None], raw


class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(16, 32, 7, stride=3, padding=3)
        self.fc = nn.Linear(32, len(REGIMES))

    def forward(self, state):
        h, raw = state
        return self.fc(F.relu(self.conv(h)).mean(-1)), raw


class DripLoggerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([Stem(), RateGate(), Body()])

    def forward(self, x):
        *_, (y, _) = itertools.accumulate(self.stages, lambda s, f: f(s), initial=(x, x))
        return y


def corpus_case():
    torch.manual_seed(0)
    return {"model": DripLoggerNet().eval(), "inputs": lambda n: torch.randn(n, 1, 600), "kind": "benign"}
