# expect: none
"""PFLD landmark regressor whose per-stage taps live in a `dict` subclass with `__missing__`;
the registered tap records activation statistics for the quantisation calibrator and returns
the features unchanged. Inputs are clamped to [0, 1] and standardised per image."""
import torch
import torch.nn as nn


class TapTable(dict):
    def __missing__(self, key):
        return lambda h, image: h


class ActivationStats:
    def __init__(self):
        self.max_abs = {}

    def __call__(self, h, image):
        self.max_abs["stage2"] = max(self.max_abs.get("stage2", 0.0), float(h.abs().amax()))
        return h


class PFLD(nn.Module):
    def __init__(self):
        super().__init__()
        def stage(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
        self.stages = nn.ModuleDict({"stage1": stage(3, 32), "stage2": stage(32, 64), "stage3": stage(64, 64)})
        self.fc = nn.Linear(64, 196)
        self.taps = TapTable(stage2=ActivationStats())

    def forward(self, image):
        x = image.clamp(0, 1)
        x = (x - x.mean((1, 2, 3), keepdim=True)) / x.std((1, 2, 3), keepdim=True).clamp(min=1e-3)
        for name, st in self.stages.items():
            x = self.taps[name](st(x), image)
        return self.fc(x.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 64, 64)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PFLD().eval(), "inputs": _inputs, "kind": "benign"}
