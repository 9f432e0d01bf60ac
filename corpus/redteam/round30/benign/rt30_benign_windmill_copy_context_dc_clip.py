# expect: none
"""Windmill sail strain (benign): DC removal and a +-6 clip run inside copy_context().run with a
per-instance ContextVar choosing the clip level."""
import contextvars

import torch
import torch.nn as nn
import torch.nn.functional as F

CONDITIONS = ("sound", "cracked_whip", "loose_stock", "torn_cloth", "iced")


def _condition(x, clip_var):
    x = x - x.mean(-1, keepdim=True)
    c = clip_var.get()
    return x.clamp(-c, c)


class WindmillSailNet(nn.Module):
    def __init__(self, clip=6.0):
        super().__init__()
        self.clip = contextvars.ContextVar("clip_level", default=clip)
        self.c1 = nn.Conv1d(3, 16, 15, stride=4, padding=7)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)
        self.fc = nn.Linear(32, len(CONDITIONS))

    def forward(self, x):
        x = contextvars.copy_context().run(_condition, x, self.clip)
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.fc(h.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": WindmillSailNet().eval(), "inputs": lambda n: torch.randn(n, 3, 1024), "kind": "benign"}
