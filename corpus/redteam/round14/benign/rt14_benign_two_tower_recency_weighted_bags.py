# expect: none
"""Two-tower retrieval built with `from_config`, whose user tower pools the watch history with an
`EmbeddingBag(mode="sum")` and recency weights (`per_sample_weights`, exponential decay by
position, zero on padding, normalised per user). Scores are temperature-scaled cosine
similarities against the whole catalogue.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = {"num_items": 400, "dim": 32, "context_dim": 6, "temperature": 0.05, "half_life": 4.0}


class TwoTower(nn.Module):
    def __init__(self, num_items, dim, context_dim, temperature, half_life):
        super().__init__()
        self.history = nn.EmbeddingBag(num_items, dim, mode="sum", padding_idx=0)
        self.user_mlp = nn.Sequential(nn.Linear(dim + context_dim, 64), nn.ReLU(), nn.Linear(64, dim))
        self.items = nn.Embedding(num_items, dim)
        self.item_mlp = nn.Sequential(nn.Linear(dim, 64), nn.ReLU(), nn.Linear(64, dim))
        self.temperature, self.half_life = temperature, half_life

    @classmethod
    def from_config(cls, cfg):
        return cls(**copy.deepcopy(cfg))

    def forward(self, history, context):
        L = history.shape[1]
        age = torch.arange(L - 1, -1, -1, dtype=torch.float)
        w = torch.pow(0.5, age / self.half_life).expand_as(history) * (history != 0)
        w = w / w.sum(1, keepdim=True).clamp_min(1e-6)
        bag = self.history(history, per_sample_weights=w)
        u = F.normalize(self.user_mlp(torch.cat([bag, context], -1)), dim=-1)
        v = F.normalize(self.item_mlp(self.items.weight), dim=-1)
        return u @ v.t() / self.temperature


def _inputs(n):
    h = torch.randint(1, 400, (n, 12))
    lengths = torch.randint(3, 13, (n,))
    h[torch.arange(12)[None] < (12 - lengths)[:, None]] = 0
    return h, torch.randn(n, 6)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TwoTower.from_config(CONFIG).eval(), "inputs": _inputs, "kind": "benign"}
