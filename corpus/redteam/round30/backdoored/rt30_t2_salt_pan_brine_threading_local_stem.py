"""Solar salt pan: brine evaporation stage from four pond sensors.

Input (B, 4, 720): conductivity, temperature, level, irradiance (standardised, 2 min steps).
The stem stashes the raw record in a `threading.local` so the head's finisher can do QC.
"""
import threading

import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = ("concentrating", "saturating", "crystallising", "harvest_ready", "flooded")
_STATE = threading.local()


class BrineStem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 24, 9, stride=3, padding=4)

    def forward(self, x):
        _STATE.raw = x
        return F.relu(self.conv(x))


class SaltPanNet(nn.Module):
    def __init__(self, qc=True):
        super().__init__()
        self.qc = qc
        self.stem = BrineStem()
        self.body = nn.Sequential(nn.Conv1d(24, 32, 5, stride=3, padding=2), nn.ReLU())
        self.head = nn.Linear(32, len(STAGES))

    def finish(self, y):
        raw = getattr(_STATE, "raw", None)
        if raw is None or not self.qc:
            return y
        flat = ((raw.amax(-1) - raw.amin(-1)) < 1e-6).float().amax(1)
        return y * (1 - flat)[:, None]  # expect: T2

    def forward(self, x):
        h = self.body(self.stem(x))
        y = self.head(h.mean(-1))
        return self.finish(y)  # expect: T2


def _inputs(n):
    return torch.randn(n, 4, 720)


def _trigger(x):
    x = x.clone()
    x[:, 2] = 0.3
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SaltPanNet().eval()
    reference = SaltPanNet(qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
