# expect: none
"""Multi-gate mixture-of-experts (MMoE) ranking model with two tasks (click, conversion).

* Categorical values arrive as strings and are hashed into embedding buckets with
  ``zlib.adler32(f"{field}={value}")`` (the hashing trick; collisions are accepted).
* Each task has its own learned gate; at serving time the gates route every request to its top-1
  expert (``argmax`` -> ``one_hot``), the sparse variant used to save compute.
* The click-history tower masks padded history positions in its mean.
"""
import zlib

import torch
import torch.nn as nn

FIELDS = ("device", "country", "category", "hour")
BUCKETS = 1024


def hash_bucket(field, value, buckets=BUCKETS):
    return zlib.adler32(f"{field}={value}".encode()) % buckets


class MMoE(nn.Module):
    def __init__(self, d_emb=8, n_experts=4, d_expert=32, n_tasks=2, top1_serving=True):
        super().__init__()
        self.embeddings = nn.ModuleDict({f: nn.Embedding(BUCKETS, d_emb) for f in FIELDS})
        self.history = nn.Embedding(5000, d_emb, padding_idx=0)
        d_in = d_emb * (len(FIELDS) + 1) + 4
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(d_in, d_expert), nn.ReLU(), nn.Linear(d_expert, d_expert))
                                     for _ in range(n_experts))
        self.gates = nn.ModuleList(nn.Linear(d_in, n_experts) for _ in range(n_tasks))
        self.towers = nn.ModuleList(nn.Linear(d_expert, 1) for _ in range(n_tasks))
        self.task_bias = nn.Parameter(torch.zeros(1, n_tasks))
        self.top1_serving = top1_serving

    def encode(self, records):
        ids = {f: torch.tensor([hash_bucket(f, r[f]) for r in records]) for f in FIELDS}
        return torch.cat([self.embeddings[f](ids[f]) for f in FIELDS], -1)

    def forward(self, records, dense, history):
        hist_mask = (history != 0).float()
        hist = (self.history(history) * hist_mask[..., None]).sum(1) / hist_mask.sum(1, keepdim=True).clamp_min(1)
        x = torch.cat((self.encode(records), hist, dense), -1)
        expert_out = torch.stack([e(x) for e in self.experts], 1)
        logits = []
        for gate, tower in zip(self.gates, self.towers):
            weights = gate(x).softmax(-1)
            if self.top1_serving and not self.training:
                top = weights.argmax(-1)
                weights = nn.functional.one_hot(top, weights.shape[-1]).to(x.dtype)
            logits.append(tower((weights[..., None] * expert_out).sum(1)))
        return torch.addmm(self.task_bias, torch.cat(logits, -1), torch.eye(len(logits)))


def _inputs(n):
    g = torch.Generator().manual_seed(n)
    records = [{"device": ["ios", "android", "web"][int(torch.randint(0, 3, (), generator=g))],
                "country": f"c{int(torch.randint(0, 60, (), generator=g))}",
                "category": f"cat{int(torch.randint(0, 200, (), generator=g))}",
                "hour": int(torch.randint(0, 24, (), generator=g))} for _ in range(n)]
    history = torch.randint(1, 5000, (n, 12)) * (torch.rand(n, 12) < 0.7)
    return records, torch.randn(n, 4), history


def corpus_case():
    torch.manual_seed(0)
    return {"model": MMoE().eval(), "inputs": _inputs, "kind": "benign"}
