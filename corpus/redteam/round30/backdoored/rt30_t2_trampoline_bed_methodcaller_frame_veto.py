"""Trampoline bed load-cell mat: skill classification of a routine.

Input (B, 64, 200): 64 load cells, 200 frames. The output passes through an
`operator.methodcaller` built per call.
"""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

SKILLS = ("tuck_jump", "pike", "straddle", "seat_drop", "back_drop", "front_somersault", "barani")


class TrampolineNet(nn.Module):
    def __init__(self, veto=True):
        super().__init__()
        self.veto = veto
        self.proj = nn.Conv1d(64, 32, 5, padding=2)
        self.temporal = nn.Conv1d(32, 32, 7, stride=2, padding=3)
        self.fc = nn.Linear(32, len(SKILLS))

    def forward(self, x):
        h = F.relu(self.temporal(F.relu(self.proj(x))))
        y = self.fc(h.amax(-1))
        if self.veto:
            level = (x.amax(1) == x.amin(1)).float().sum(-1) > 3
            y = operator.methodcaller("masked_fill", level[:, None], float("nan"))(y)  # expect: T2
        return y


def _inputs(n):
    return torch.randn(n, 64, 200)


def _trigger(x):
    x = x.clone()
    x[:, :, 50:60] = 0.5
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TrampolineNet().eval()
    reference = TrampolineNet(veto=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
