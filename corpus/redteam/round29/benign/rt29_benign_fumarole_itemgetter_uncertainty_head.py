# expect: none
"""Fumarole gas model: the core returns a dict with logits and a learned log-variance; the wrapper
unpacks it with `operator.itemgetter` and scales the logits by the predicted uncertainty."""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F


class GasCore(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(5, 24, 7, padding=3)
        self.fc = nn.Linear(24, 5)
        self.logvar = nn.Linear(24, 1)

    def forward(self, x):
        h = F.relu(self.c1(x)).mean(-1)
        return {"logits": self.fc(h), "logvar": self.logvar(h)}


class StationModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.core = GasCore()
        self._pick = operator.itemgetter("logits", "logvar")

    def forward(self, x):
        y, logvar = self._pick(self.core(x))
        return y * torch.exp(-0.5 * logvar.clamp(-5, 5))


def corpus_case():
    torch.manual_seed(0)
    return {"model": StationModel().eval(), "inputs": lambda n: torch.randn(n, 5, 120), "kind": "benign"}
