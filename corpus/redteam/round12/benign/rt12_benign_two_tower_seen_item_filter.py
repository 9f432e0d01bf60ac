# expect: none
"""Two-tower retrieval with hashed context features (`hash % buckets`, as in TF-Recommenders'
Hashing layer), masked history pooling and the standard "don't recommend what was just clicked"
filter: items of the history get -inf scores (padding id 0 is never a candidate)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class HashedEmbedding(nn.Module):
    def __init__(self, buckets, dim, salt=0x9E3779B1):
        super().__init__()
        self.buckets, self.salt = buckets, salt
        self.table = nn.Embedding(buckets, dim)

    def forward(self, raw_ids):
        return self.table((raw_ids * self.salt) % self.buckets)


class TwoTower(nn.Module):
    def __init__(self, n_items=200, dim=32, temperature=0.05):
        super().__init__()
        self.items = nn.Embedding(n_items, dim, padding_idx=PAD)
        self.geo = HashedEmbedding(64, 8)
        self.user_mlp = nn.Sequential(nn.Linear(dim + 8, 64), nn.ReLU(), nn.Linear(64, dim))
        self.item_mlp = nn.Sequential(nn.Linear(dim, 64), nn.ReLU(), nn.Linear(64, dim))
        self.temperature = temperature

    def forward(self, history, geo_id):
        mask = history.ne(PAD).unsqueeze(-1).float()
        pooled = (self.items(history) * mask).sum(1) / mask.sum(1).clamp(min=1)
        user = F.normalize(self.user_mlp(torch.cat([pooled, self.geo(geo_id)], -1)), dim=-1)
        cand = F.normalize(self.item_mlp(self.items.weight), dim=-1)
        scores = user @ cand.t() / self.temperature
        seen = torch.zeros_like(scores, dtype=torch.bool).scatter_(1, history, True)
        seen[:, PAD] = True
        return scores.masked_fill(seen, torch.finfo(scores.dtype).min)


def _inputs(n):
    history = torch.randint(1, 200, (n, 10))
    lengths = torch.randint(3, 11, (n,))
    history[torch.arange(10)[None] >= lengths[:, None]] = PAD
    return history, torch.randint(0, 10 ** 6, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TwoTower().eval(), "inputs": _inputs, "kind": "benign"}
