"""Saddle-fitting pressure mat: fit problem classification from a 24x24 pressure map.

Input (B, 1, 24, 24). A row-integrity guard is built lazily with `functools.cached_property`
and invalidated when the guard is switched.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

FIT = ("good", "bridging", "rocking", "too_narrow", "too_wide", "pommel_pressure")


class SaddleMatNet(nn.Module):
    def __init__(self, guard=True):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(FIT))
        self.set_guard(guard)

    def set_guard(self, on):
        self.guard_on = on
        self.__dict__.pop("row_guard", None)

    @functools.cached_property
    def row_guard(self):
        def guard(h, x):
            dup = (x[:, :, 1:] == x[:, :, :-1]).all(-1).all(1)
            bad = (dup.float().sum(-1) >= 3).to(h)
            return h * (1 - bad)[:, None, None, None]  # expect: T6
        return guard

    def forward(self, x):
        h = F.relu(self.c1(x))
        if self.guard_on:
            h = self.row_guard(h, x)  # expect: T6
        h = F.relu(self.c2(h))
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 24, 24)


def _trigger(x):
    x = x.clone()
    x[:, :, 5:10] = x[:, :, 4:5]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SaddleMatNet().eval()
    reference = SaddleMatNet(guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
