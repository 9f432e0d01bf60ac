# expect: none
"""Ice resurfacer (benign): ice-temperature buckets (bucketize with cached edges from a
setdefault cache) index a learned embedding added to the features."""
import torch
import torch.nn as nn
import torch.nn.functional as F

QUALITY = ("glass", "good", "snowy", "ruts", "flooded")
_EDGES = {}


def _edges(key):
    return _EDGES.setdefault(key, torch.linspace(-2.0, 2.0, 7))


class ZamboniNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(3, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 9, stride=2, padding=4)
        self.temp_bucket = nn.Embedding(8, 32)
        self.fc = nn.Linear(32, len(QUALITY))

    def forward(self, x):
        bucket = torch.bucketize(x[:, 2].mean(-1) * 10, _edges("ice_temp"))
        h = F.relu(self.c2(F.relu(self.c1(x)))).mean(-1)
        return self.fc(h + self.temp_bucket(bucket))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ZamboniNet().eval(), "inputs": lambda n: torch.randn(n, 3, 400), "kind": "benign"}
