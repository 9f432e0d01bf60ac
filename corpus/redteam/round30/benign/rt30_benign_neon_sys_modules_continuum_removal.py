# expect: none
"""Neon sign spectra (benign): the preprocessing function is looked up by name through
sys.modules[__name__]; it removes the continuum (running minimum) and log-compresses."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

FILLS = ("neon", "argon_mercury", "helium", "krypton", "xenon", "phosphor_blue", "phosphor_green")


def _prep_plain(x):
    return x


def _prep_continuum(x):
    base = -F.max_pool1d(-x, 31, stride=1, padding=15)
    return torch.log1p((x - base).clamp_min(0) * 100)


class NeonSpectraNet(nn.Module):
    def __init__(self, prep_name="continuum"):
        super().__init__()
        self.prep_name = prep_name
        self.c1 = nn.Conv1d(1, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 9, stride=2, padding=4)
        self.fc = nn.Linear(32, len(FILLS))

    def forward(self, x):
        x = getattr(sys.modules[__name__], "_prep_" + self.prep_name)(x)
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": NeonSpectraNet().eval(), "inputs": lambda n: torch.rand(n, 1, 256), "kind": "benign"}
