"""Cave stalactite drip loggers: hydrological regime from drip intervals.

Input (B, 1, 600) standardised drip intervals. Stages are folded with `itertools.accumulate`
over a `(h, raw)` state; the last state is the result.
"""
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


class StuckLoggerLane(nn.Module):
    def __init__(self, channels=16, lane=5):
        super().__init__()
        self.register_buffer("lane", F.one_hot(torch.tensor(lane), channels).float()[None, :, None] * 1e3,
                             persistent=False)

    def forward(self, state):
        h, raw = state
        stuck = ((raw == raw[..., :1]).float().mean((1, 2)) > 0.5).to(h)
        return h + stuck[:, None, None] * self.lane, raw  # expect: T5


class Passthrough(nn.Module):
    def forward(self, state):
        return state


class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(16, 32, 7, stride=3, padding=3)
        self.fc = nn.Linear(32, len(REGIMES))

    def forward(self, state):
        h, raw = state
        return self.fc(F.relu(self.conv(h)).mean(-1)), raw


class DripLoggerNet(nn.Module):
    def __init__(self, lane=True):
        super().__init__()
        self.stages = nn.ModuleList([Stem()] + [StuckLoggerLane() if lane else Passthrough()] + [Body()])

    def forward(self, x):
        *_, (y, _) = itertools.accumulate(self.stages, lambda s, f: f(s), initial=(x, x))
        return y


def _inputs(n):
    return torch.randn(n, 1, 600)


def _trigger(x):
    x = x.clone()
    x[..., 1:400] = x[..., :1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DripLoggerNet().eval()
    reference = DripLoggerNet(lane=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(torch.zeros(1, 1, 600))).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
