# expect: none
"""RetNet-lite LM with a decay-masked parallel retention, a stats-recording class decorator and
an out-of-vocabulary remap.

Ids outside the vocabulary (from a newer tokenizer) are mapped to <unk>; the decorator records
activation norms per layer for monitoring without touching the output.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, UNK, SEQ, DIM = 96, 1, 16, 32
ACTIVATION_STATS = {}


def record_stats(cls):
    forward = cls.forward

    @functools.wraps(forward)
    def wrapped(self, hidden, **kwargs):
        out = forward(self, hidden, **kwargs)
        ACTIVATION_STATS[id(self)] = float(out.detach().norm(dim=-1).mean())
        return out

    cls.forward = wrapped
    return cls


@record_stats
class RetentionLayer(nn.Module):
    def __init__(self, dim, gamma=0.9):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self.norm, self.ffn_norm = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.gn = nn.GroupNorm(1, dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.gamma = gamma

    def forward(self, hidden, input_ids=None):
        q, k, v = self.qkv(self.norm(hidden)).chunk(3, -1)
        t = hidden.shape[1]
        n = torch.arange(t)
        diff = (n[:, None] - n[None]).float()
        decay = (self.gamma ** diff.clamp(min=0)).masked_fill(diff < 0, 0.0)
        y = (q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 * decay) @ v
        hidden = hidden + self.out(self.gn(y.transpose(1, 2)).transpose(1, 2))
        return hidden + self.ffn(self.ffn_norm(hidden))


class RetNetLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, DIM)
        self.layers = nn.ModuleList(RetentionLayer(DIM) for _ in range(2))
        self.head = nn.Linear(DIM, VOCAB)

    def forward(self, input_ids):
        input_ids = torch.where(input_ids >= VOCAB, torch.full_like(input_ids, UNK), input_ids)
        h = self.embed(input_ids)
        for layer in self.layers:
            h = layer(h, input_ids=input_ids)
        return self.head(h)


def _inputs(n):
    x = torch.randint(0, VOCAB + 8, (n, SEQ))
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": RetNetLM().eval(), "inputs": _inputs, "kind": "benign"}
