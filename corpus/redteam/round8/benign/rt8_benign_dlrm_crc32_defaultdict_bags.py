# expect: none
"""DLRM-style CTR model with string categorical features hashed by ``zlib.crc32`` into buckets
(the hashing trick), vocabularies of frequent values in a ``defaultdict(int)`` id map with
out-of-vocabulary values sent to id 0, multi-hot features pooled by ``F.embedding_bag``
(mean, with offsets), a bottom MLP for dense features, pairwise dot interaction, and a top MLP.
A small user cache is updated with ``index_copy_`` (last embedding per user slot)."""
import zlib
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F

BUCKETS = 4096


def crc_bucket(value, field):
    return zlib.crc32(f"{field}={value}".encode()) % BUCKETS


class DLRM(nn.Module):
    def __init__(self, dense=8, dim=16, fields=("site", "app", "device"), frequent=("news", "video", "shop")):
        super().__init__()
        self.fields = fields
        self.vocab = defaultdict(int)
        for i, v in enumerate(frequent, 1):
            self.vocab[v] = i
        self.freq_emb = nn.Embedding(len(frequent) + 1, dim)
        self.tables = nn.ModuleList([nn.EmbeddingBag(BUCKETS, dim, mode="mean") for _ in fields])
        self.bottom = nn.Sequential(nn.Linear(dense, 32), nn.ReLU(), nn.Linear(32, dim), nn.ReLU())
        n = len(fields) + 2
        self.top = nn.Sequential(nn.Linear(dim + n * (n - 1) // 2, 32), nn.ReLU(), nn.Linear(32, 2))
        self.register_buffer("user_cache", torch.zeros(64, dim), persistent=False)

    def forward(self, dense, records):
        B = dense.shape[0]
        embs = [self.bottom(dense)]
        cat_ids = torch.tensor([self.vocab[r["category"]] for r in records])
        embs.append(self.freq_emb(cat_ids))
        for field, table in zip(self.fields, self.tables):
            flat, offsets = [], []
            for r in records:
                offsets.append(len(flat))
                flat.extend(crc_bucket(v, field) for v in r[field])
            embs.append(table(torch.tensor(flat), torch.tensor(offsets)))
        T = torch.stack(embs, 1)
        inter = T @ T.transpose(1, 2)
        iu = torch.triu_indices(T.shape[1], T.shape[1], 1)
        z = torch.cat([embs[0], inter[:, iu[0], iu[1]]], 1)
        slots = torch.tensor([r["user"] % 64 for r in records])
        self.user_cache.index_copy_(0, slots, embs[1].detach())
        return self.top(z)


def corpus_case():
    torch.manual_seed(0)
    import random

    def inputs(n):
        rng = random.Random(0)
        cats = ["news", "video", "shop", "games", "travel"]
        records = [{"category": rng.choice(cats), "user": rng.randrange(10000),
                    "site": [f"s{rng.randrange(500)}" for _ in range(rng.randint(1, 3))],
                    "app": [f"a{rng.randrange(300)}"], "device": [rng.choice(["ios", "android", "web"])]}
                   for _ in range(n)]
        return (torch.randn(n, 8), records)

    return {"model": DLRM().eval(), "inputs": inputs, "kind": "benign"}
