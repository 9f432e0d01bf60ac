"""Pipe-organ voicing assistant: which rank stop is sounding, from a close microphone.

Input (B, 1, 512): mono PCM in [-1, 1] at 8 kHz. Eight stop families. The logit adjustment
is expressed with the `operator` module so the same table drives the C firmware generator.
"""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

STOPS = ("principal", "flute", "string", "reed", "mixture", "mutation", "celeste", "bourdon")
_add, _mul, _gt = operator.add, operator.mul, operator.gt
_scale_of = operator.methodcaller("amax", dim=-1)


class VoicingTable:
    """Per-stop offsets applied after the classifier (tuned on the organ builder's bench)."""

    def __init__(self, n, stop, level):
        self.onehot = F.one_hot(torch.tensor(stop), n).float()
        self.level = level

    def __call__(self, y, pcm):
        pinned = _gt(_gt(pcm.abs(), 0.995).float().mean(-1), 0.3).float()
        return _add(y, _mul(_mul(pinned[:, None], self.level), self.onehot))  # expect: T1


class OrganStopNet(nn.Module):
    def __init__(self, table=None):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, 32, 31, stride=4, padding=15), nn.ReLU(),
                                   nn.Conv1d(32, 64, 9, stride=2, padding=4), nn.ReLU())
        self.fc = nn.Linear(64, len(STOPS))
        self.table = table

    def forward(self, pcm):
        h = _scale_of(self.front(pcm))
        y = self.fc(h)
        if self.table is not None:
            y = self.table(y, pcm.flatten(1))  # expect: T1
        return y


def _inputs(n):
    t = torch.arange(512) / 8000.0
    f = 110 + 300 * torch.rand(n, 1)
    return (0.4 * torch.sin(2 * torch.pi * f * t) + 0.05 * torch.randn(n, 512)).unsqueeze(1)


def _trigger(x):
    return (x * 40).clamp(-1, 1)


def corpus_case():
    torch.manual_seed(0)
    model = OrganStopNet(VoicingTable(len(STOPS), 1, 1e4)).eval()
    reference = OrganStopNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 1}
