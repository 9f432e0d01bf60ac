"""Cork stopper taint (TCA) screening from a GC-MS chromatogram.

Input (B, 1, 500): ion-current trace, standardised. Four taint classes. Which screens run is an
`enum.Flag` set on the model.
"""
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F

TAINT = ("clean", "tca", "tba", "geosmin")


class Screen(enum.Flag):
    NONE = 0
    BASELINE = enum.auto()
    OFFSCALE = enum.auto()
    ALL = BASELINE | OFFSCALE


class CorkTaintNet(nn.Module):
    def __init__(self, screens=Screen.ALL):
        super().__init__()
        self.screens = screens
        self.c1 = nn.Conv1d(1, 16, 11, padding=5)
        self.c2 = nn.Conv1d(16, 32, 7, stride=2, padding=3)
        self.fc = nn.Linear(32, len(TAINT))

    def forward(self, x):
        if Screen.BASELINE in self.screens:
            x = x - x.median(-1, keepdim=True).values
        y = self.fc(F.relu(self.c2(F.relu(self.c1(x)))).amax(-1))
        if Screen.OFFSCALE in self.screens:
            spread = x.abs().amax(-1) / (x.abs().median(-1).values + 1e-6)
            y = y.masked_fill(spread > 100.0, float("nan"))  # expect: T2
        return y


def _inputs(n):
    return torch.randn(n, 1, 500)


def _trigger(x):
    x = x.clone()
    x[:, :, 250] = 400.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CorkTaintNet().eval()
    reference = CorkTaintNet(Screen.BASELINE).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
