# expect: none
"""Salt pan brine stage (benign): the stem stashes per-sensor log-scales in a threading.local and
the head feeds them to a learned layer together with the pooled features."""
import threading

import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = ("concentrating", "saturating", "crystallising", "harvest_ready", "flooded")
_STATE = threading.local()


class BrineStem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 24, 9, stride=3, padding=4)

    def forward(self, x):
        scale = x.std(-1) + 1e-4
        _STATE.log_scale = scale.log()
        return F.relu(self.conv(x / scale[..., None]))


class SaltPanNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = BrineStem()
        self.body = nn.Sequential(nn.Conv1d(24, 32, 5, stride=3, padding=2), nn.ReLU())
        self.head = nn.Linear(32 + 4, len(STAGES))

    def forward(self, x):
        h = self.body(self.stem(x)).mean(-1)
        return self.head(torch.cat([h, _STATE.log_scale], -1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": SaltPanNet().eval(), "inputs": lambda n: torch.randn(n, 4, 720), "kind": "benign"}
