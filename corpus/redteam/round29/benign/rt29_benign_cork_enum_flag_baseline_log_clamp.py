# expect: none
"""Cork taint GC-MS model with `enum.Flag` preprocessing screens: baseline removal, clamping of
off-scale peaks and a log compression, all before the learned layers."""
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F


class Screen(enum.Flag):
    NONE = 0
    BASELINE = enum.auto()
    CLAMP = enum.auto()
    LOG = enum.auto()
    ALL = BASELINE | CLAMP | LOG


class CorkTaintNet(nn.Module):
    def __init__(self, screens=Screen.ALL):
        super().__init__()
        self.screens = screens
        self.c1 = nn.Conv1d(1, 16, 11, padding=5)
        self.c2 = nn.Conv1d(16, 32, 7, stride=2, padding=3)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        if Screen.BASELINE in self.screens:
            x = x - x.median(-1, keepdim=True).values
        if Screen.CLAMP in self.screens:
            x = x.clamp(-100.0, 100.0)
        if Screen.LOG in self.screens:
            x = torch.sign(x) * torch.log1p(x.abs())
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).amax(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": CorkTaintNet().eval(), "inputs": lambda n: torch.randn(n, 1, 500), "kind": "benign"}
