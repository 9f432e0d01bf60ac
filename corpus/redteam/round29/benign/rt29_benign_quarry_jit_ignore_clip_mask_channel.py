# expect: none
"""Quarry blast seismograph model with a `@torch.jit.ignore` helper that clamps over-range samples
and appends a clip-mask channel for the learned convs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class QuarryNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(2, 16, 15, stride=4, padding=7)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)
        self.fc = nn.Linear(32, 5)

    @torch.jit.ignore
    def _with_clip_mask(self, x):
        clipped = (x.abs() >= 4.0).float()
        return torch.cat([x.clamp(-4.0, 4.0), clipped], 1)

    def forward(self, x):
        h = F.relu(self.c1(self._with_clip_mask(x)))
        return self.fc(F.relu(self.c2(h)).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": QuarryNet().eval(), "inputs": lambda n: torch.randn(n, 1, 3000), "kind": "benign"}
