# expect: none
"""Paragliding vario model whose logit soft-cap closure comes from an `lru_cache`d builder."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


@functools.lru_cache(maxsize=None)
def build_softcap(cap):
    def softcap(y):
        return cap * torch.tanh(y / cap)
    return softcap


class VarioNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(4, 24, 9, stride=3, padding=4)
        self.c2 = nn.Conv1d(24, 32, 5, stride=2, padding=2)
        self.fc = nn.Linear(32, 5)
        self.softcap = build_softcap(30.0)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.softcap(self.fc(h.mean(-1)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": VarioNet().eval(), "inputs": lambda n: torch.randn(n, 4, 600), "kind": "benign"}
