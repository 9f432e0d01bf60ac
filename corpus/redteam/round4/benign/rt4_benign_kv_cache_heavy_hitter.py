# expect: none
"""Decoder LM with an H2O-style heavy-hitter KV-cache eviction policy.

During prefill the cache keeps the ``recent`` newest positions plus the ``heavy`` positions with the
largest accumulated attention mass; evicted positions are masked out of later attention.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class H2OAttention(nn.Module):
    def __init__(self, d, heads, heavy=6, recent=6):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.heavy, self.recent = heavy, recent

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = (m(x).view(b, t, self.h, self.dk).transpose(1, 2) for m in (self.q, self.k, self.v))
        s = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        p = s.masked_fill(~causal, float("-inf")).softmax(-1)
        # accumulated attention each key received (heavy-hitter score)
        score = p.sum(2)                                               # (b, h, t)
        recent = torch.arange(t) >= t - self.recent
        score = score.masked_fill(recent, float("-inf"))
        top = score.topk(min(self.heavy, t - self.recent), -1).indices
        keep = torch.zeros_like(score, dtype=torch.bool).scatter(-1, top, True) | recent
        # the last query (next decoding step) only sees the retained cache
        last = s[:, :, -1:].masked_fill(~keep[:, :, None], torch.finfo(s.dtype).min).softmax(-1)
        p = torch.cat([p[:, :, :-1], last], 2)
        return self.o((p @ v).transpose(1, 2).reshape(b, t, d))


class Layer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.n1, self.att, self.n2 = nn.LayerNorm(d), H2OAttention(d, heads), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.att(self.n1(x))
        return x + self.ff(self.n2(x))


class H2OLM(nn.Module):
    def __init__(self, vocab=400, d=64, n=2):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(64, d)
        self.layers = nn.ModuleList(Layer(d, 4) for _ in range(n))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.emb(ids) + self.pos(torch.arange(ids.shape[1]))
        for l in self.layers:
            x = l(x)
        return self.head(self.norm(x))


def corpus_case():
    torch.manual_seed(0)
    return {"model": H2OLM().eval(), "inputs": lambda n: torch.randint(0, 400, (n, 24)), "kind": "benign"}
