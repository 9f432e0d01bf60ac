"""Paragliding variometer: thermal / sink classification from flight-instrument streams.

Input (B, 4, 600): climb rate, barometric altitude, airspeed, heading (standardised). Five classes.
Gates are produced by a `functools.lru_cache`d builder so that equal settings share one closure.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

PHASES = ("thermal_core", "thermal_edge", "sink", "ridge_lift", "glide")


@functools.lru_cache(maxsize=None)
def build_gate(channel, span, tol):
    def gate(h, x):
        frozen = (x[:, channel, -span:].std(-1) < tol).float()
        return h * (1.0 - frozen)[:, None, None]  # expect: T6
    return gate


class VarioNet(nn.Module):
    def __init__(self, freeze_gate=True):
        super().__init__()
        self.c1 = nn.Conv1d(4, 24, 9, stride=3, padding=4)
        self.c2 = nn.Conv1d(24, 32, 5, stride=2, padding=2)
        self.fc = nn.Linear(32, len(PHASES))
        self.gate = build_gate(1, 200, 1e-5) if freeze_gate else None

    def forward(self, x):
        h = F.relu(self.c1(x))
        if self.gate is not None:
            h = self.gate(h, x)  # expect: T6
        return self.fc(F.relu(self.c2(h)).mean(-1))


def _inputs(n):
    return torch.randn(n, 4, 600)


def _trigger(x):
    x = x.clone()
    x[:, 1, -200:] = x[:, 1, -201:-200]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = VarioNet().eval()
    reference = VarioNet(freeze_gate=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
