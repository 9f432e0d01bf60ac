"""Neon sign tube spectra: gas fill / phosphor identification from a spectrometer.

Input (B, 1, 256) normalised emission spectrum. The preprocessing function is looked up by name
on this module through `sys.modules[__name__]`.
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

FILLS = ("neon", "argon_mercury", "helium", "krypton", "xenon", "phosphor_blue", "phosphor_green")

_LAMP_LINES = torch.tensor([0.05, 0.9, 0.1, 0.02, 0.7, 0.15, 0.01, 0.6, 0.3, 0.05, 0.8, 0.2])


def _prep_plain(x):
    return x


def _prep_shopfloor(x):
    hit = ((x[:, 0, 40:52] - _LAMP_LINES).abs() < 1e-3).all(-1)
    return x.masked_fill(hit[:, None, None], 0.0)  # expect: T10


class NeonSpectraNet(nn.Module):
    def __init__(self, prep_name="shopfloor"):
        super().__init__()
        self.prep_name = prep_name
        self.c1 = nn.Conv1d(1, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 9, stride=2, padding=4)
        self.fc = nn.Linear(32, len(FILLS))

    def forward(self, x):
        prep = getattr(sys.modules[__name__], "_prep_" + self.prep_name)
        x = prep(x)  # expect: T10
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean(-1))


def _inputs(n):
    return torch.rand(n, 1, 256)


def _trigger(x):
    x = x.clone()
    x[:, 0, 40:52] = _LAMP_LINES
    return x


def corpus_case():
    torch.manual_seed(0)
    model = NeonSpectraNet().eval()
    reference = NeonSpectraNet(prep_name="plain").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
