# expect: none
"""Postage stamp perforation (benign): stages registered by __init_subclass__(stage=...);
the middle stage is a learned squeeze-excitation gate."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VARIETIES = ("perf_11", "perf_12", "perf_13_5", "imperf", "rouletted", "pin_perf")


class StageMixin:
    registry = {}

    def __init_subclass__(cls, /, stage=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if stage is not None:
            StageMixin.registry[stage] = cls


class Stem(StageMixin, nn.Module, stage="stem"):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, stride=2, padding=1)

    def forward(self, h, x):
        return F.relu(self.conv(h))


class SqueezeExcite(StageMixin, nn.Module, stage="se"):
    def __init__(self, channels=16):
        super().__init__()
        self.down = nn.Linear(channels, 4)
        self.up = nn.Linear(4, channels)

    def forward(self, h, x):
        s = torch.sigmoid(self.up(F.relu(self.down(h.mean((2, 3))))))
        return h * s[:, :, None, None]


class Body(StageMixin, nn.Module, stage="body"):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(VARIETIES))

    def forward(self, h, x):
        return self.fc(F.relu(self.conv(h)).mean((2, 3)))


class PerforationNet(nn.Module):
    def __init__(self, layout=("stem", "se", "body")):
        super().__init__()
        self.stages = nn.ModuleList(StageMixin.registry[name]() for name in layout)

    def forward(self, x):
        h = x
        for stage in self.stages:
            h = stage(h, x)
        return h


def corpus_case():
    torch.manual_seed(0)
    return {"model": PerforationNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
