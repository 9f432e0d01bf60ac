# expect: none
"""DLRM-lite CTR model with a frequency-thresholded vocabulary: raw categorical ids are mapped to
vocabulary indices with ``Tensor.apply_`` over a dict built from a ``collections.Counter`` (ids
seen fewer than ``min_count`` times map to the OOV index 0, and ``Vocab.__contains__`` answers
membership). Feature crosses are hashed with Python's tuple ``hash`` into buckets. Dot
interaction and a top MLP give the click logit pair."""
from collections import Counter

import torch
import torch.nn as nn


class Vocab:
    def __init__(self, stream, min_count=2):
        counts = Counter(stream)
        kept = sorted(v for v, c in counts.items() if c >= min_count)
        self.index = {v: i + 1 for i, v in enumerate(kept)}

    def __contains__(self, raw_id):
        return raw_id in self.index

    def __len__(self):
        return len(self.index) + 1

    def encode(self, ids):
        return ids.clone().apply_(lambda v: self.index.get(int(v), 0))


class DLRMLite(nn.Module):
    def __init__(self, vocabs, d=16, cross_buckets=512):
        super().__init__()
        self.vocabs = vocabs
        self.cross_buckets = cross_buckets
        self.tables = nn.ModuleList(nn.Embedding(len(v), d) for v in vocabs)
        self.cross = nn.Embedding(cross_buckets, d)
        self.bottom = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, d))
        n = len(vocabs) + 2
        self.top = nn.Sequential(nn.Linear(d + n * (n - 1) // 2, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, dense, raw):
        embs = [self.bottom(torch.log1p(dense))]
        embs += [t(v.encode(raw[:, j])) for j, (t, v) in enumerate(zip(self.tables, self.vocabs))]
        cross = torch.tensor([hash((a, b)) % self.cross_buckets for a, b in raw[:, :2].tolist()])
        embs.append(self.cross(cross))
        z = torch.stack(embs, 1)
        inter = z @ z.transpose(1, 2)
        iu = torch.triu_indices(z.shape[1], z.shape[1], 1)
        return self.top(torch.cat([embs[0], inter[:, iu[0], iu[1]]], 1))


def _inputs(n):
    return torch.rand(n, 4) * 50, torch.randint(0, 300, (n, 3))


def corpus_case():
    torch.manual_seed(0)
    stream = torch.randint(0, 300, (2000, 3))
    vocabs = [Vocab(stream[:, j].tolist()) for j in range(3)]
    return {"model": DLRMLite(vocabs).eval(), "inputs": _inputs, "kind": "benign"}
