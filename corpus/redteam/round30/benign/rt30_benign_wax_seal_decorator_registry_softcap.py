# expect: none
"""Wax seal matrices (benign): post-processors registered by a decorator with arguments
(tanh soft-capping, temperature) and applied by name."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

MATRICES = ("chancery", "privy", "great_seal", "abbey", "guild", "counterfeit")
_POSTPROCESSORS = {}


def postprocessor(name, **params):
    def deco(fn):
        _POSTPROCESSORS[name] = functools.partial(fn, **params)
        return fn
    return deco


@postprocessor("softcap", cap=30.0)
def _softcap(y, cap):
    return torch.tanh(y / cap) * cap


@postprocessor("temperature", t=1.3)
def _temperature(y, t):
    return y / t


class WaxSealNet(nn.Module):
    def __init__(self, post=("softcap", "temperature")):
        super().__init__()
        self.post = post
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(MATRICES))

    def forward(self, x):
        y = self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean((2, 3)))
        for name in self.post:
            y = _POSTPROCESSORS[name](y)
        return y


def corpus_case():
    torch.manual_seed(0)
    return {"model": WaxSealNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
