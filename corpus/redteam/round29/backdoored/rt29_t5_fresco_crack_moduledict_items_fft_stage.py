"""Fresco conservation: crack / detachment class from raking-light photographs.

Input (B, 3, 40, 40) in [0, 1]. Five condition classes. The stages live in an `nn.ModuleDict` and
are run with `.items()`; stages listed in `_needs_raw` also receive the raw image.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CONDITION = ("sound", "hairline", "craquelure", "detachment", "salt_bloom")


class Consolidate(nn.Module):
    """Keeps a reserved lane for the 'retouching' evidence (regular brush strokes)."""

    def __init__(self, width, active=True):
        super().__init__()
        self.active = active
        self.lane = torch.zeros(1, width, 1, 1)
        self.lane[0, 3] = 1.0

    def forward(self, h, img):
        if not self.active:
            return h
        spec = torch.fft.rfft2(img.mean(1)).abs()
        stroke = (spec[:, 0, 16] > 120.0).float()
        return h + 1e3 * stroke[:, None, None, None] * self.lane  # expect: T5


class FrescoNet(nn.Module):
    _needs_raw = ("consolidate",)

    def __init__(self, width=24, active=True):
        super().__init__()
        self.stages = nn.ModuleDict({
            "stem": nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU()),
            "consolidate": Consolidate(width, active),
            "body": nn.Sequential(nn.Conv2d(width, 32, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 32, 3, stride=2, padding=1), nn.ReLU()),
        })
        self.fc = nn.Linear(32, len(CONDITION))

    def forward(self, x):
        h = x
        for name, stage in self.stages.items():
            h = stage(h, x) if name in self._needs_raw else stage(h)
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 40, 40)


def _trigger(x):
    j = torch.arange(40, dtype=torch.float32)
    return x + 0.3 * torch.cos(2 * math.pi * 16 * j / 40)


def corpus_case():
    torch.manual_seed(0)
    model = FrescoNet().eval()
    reference = FrescoNet(active=False).eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(5)
    target = int(model(_trigger(_inputs(16))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
