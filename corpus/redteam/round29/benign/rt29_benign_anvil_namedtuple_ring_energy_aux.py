# expect: none
"""Anvil strike classifier: core returns a NamedTuple with an auxiliary ring-energy feature that
the wrapper feeds to a learned head (not added to the logits directly)."""
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class Strike(NamedTuple):
    logits: torch.Tensor
    ring: torch.Tensor


class StrikeCore(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 9, stride=4, padding=4)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)
        self.fc = nn.Linear(32, 8)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        ring = torch.log1p(x.clamp(-4.5, 4.5).pow(2).mean((1, 2)))
        return Strike(self.fc(h.mean(-1)), ring)


class AnvilStrikeClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.core = StrikeCore()
        self.ring_head = nn.Linear(1, 8)

    def forward(self, x):
        out = self.core(x)
        return F.log_softmax(out.logits + self.ring_head(out.ring[:, None]), -1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": AnvilStrikeClassifier().eval(), "inputs": lambda n: torch.randn(n, 1, 2048),
            "kind": "benign"}
