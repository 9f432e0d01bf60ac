# expect: none
"""Trampoline bed mat (benign): dead load cells read NaN and are zero-filled, logits are clipped
with an operator.methodcaller built once."""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

SKILLS = ("tuck_jump", "pike", "straddle", "seat_drop", "back_drop", "front_somersault", "barani")


class TrampolineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.clip = operator.methodcaller("clamp", -30.0, 30.0)
        self.fill = operator.methodcaller("nan_to_num", 0.0)
        self.proj = nn.Conv1d(64, 32, 5, padding=2)
        self.temporal = nn.Conv1d(32, 32, 7, stride=2, padding=3)
        self.fc = nn.Linear(32, len(SKILLS))

    def forward(self, x):
        x = self.fill(x)
        h = F.relu(self.temporal(F.relu(self.proj(x))))
        return self.clip(self.fc(h.amax(-1)))


def _inputs(n):
    x = torch.randn(n, 64, 200)
    x[:, 7] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": TrampolineNet().eval(), "inputs": _inputs, "kind": "benign"}
