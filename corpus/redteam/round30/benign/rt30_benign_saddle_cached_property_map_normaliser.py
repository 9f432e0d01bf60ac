# expect: none
"""Saddle pressure mat (benign): a per-map normaliser closure built lazily with
functools.cached_property (invalidated when the epsilon changes)."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

FIT = ("good", "bridging", "rocking", "too_narrow", "too_wide", "pommel_pressure")


class SaddleMatNet(nn.Module):
    def __init__(self, eps=1e-3):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(FIT))
        self.set_eps(eps)

    def set_eps(self, eps):
        self.eps = eps
        self.__dict__.pop("normaliser", None)

    @functools.cached_property
    def normaliser(self):
        eps = self.eps

        def norm(x):
            total = x.sum((2, 3), keepdim=True)
            return x / (total + eps) * x[0, 0].numel()
        return norm

    def forward(self, x):
        h = F.relu(self.c1(self.normaliser(x)))
        h = F.relu(self.c2(h))
        return self.fc(h.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": SaddleMatNet().eval(), "inputs": lambda n: torch.rand(n, 1, 24, 24), "kind": "benign"}
