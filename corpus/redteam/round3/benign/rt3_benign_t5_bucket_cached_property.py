# expect: none
"""T5-style encoder with relative position buckets.  The bucket table is computed lazily by a
small caching descriptor (per sequence length) and the learned bias is looked up from it.
"""
import math

import torch
import torch.nn as nn


def relative_position_bucket(relative_position, bidirectional=True, num_buckets=32, max_distance=128):
    ret = 0
    n = -relative_position
    if bidirectional:
        num_buckets //= 2
        ret = (n < 0).long() * num_buckets
        n = n.abs()
    else:
        n = torch.max(n, torch.zeros_like(n))
    max_exact = num_buckets // 2
    is_small = n < max_exact
    val_if_large = max_exact + (torch.log(n.float() / max_exact + 1e-6) / math.log(max_distance / max_exact)
                                * (num_buckets - max_exact)).long()
    val_if_large = torch.min(val_if_large, torch.full_like(val_if_large, num_buckets - 1))
    return ret + torch.where(is_small, n, val_if_large)


class BucketCache:
    """Descriptor: ``obj.buckets(T)`` returns the (T, T) bucket table, cached per length."""

    def __set_name__(self, owner, name):
        self.slot = "_" + name + "_cache"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        cache = obj.__dict__.setdefault(self.slot, {})

        def lookup(t):
            if t not in cache:
                pos = torch.arange(t)
                cache[t] = relative_position_bucket(pos[None, :] - pos[:, None], num_buckets=obj.num_buckets)
            return cache[t]
        return lookup


class T5Attention(nn.Module):
    buckets = BucketCache()

    def __init__(self, d, heads, num_buckets=32, has_relative_bias=False):
        super().__init__()
        self.heads, self.num_buckets = heads, num_buckets
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, d, bias=False)
        self.v = nn.Linear(d, d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.relative_attention_bias = nn.Embedding(num_buckets, heads) if has_relative_bias else None

    def compute_bias(self, t):
        return self.relative_attention_bias(self.buckets(t)).permute(2, 0, 1)[None]

    def forward(self, x, position_bias=None):
        b, t, d = x.shape
        sh = lambda y: y.view(b, t, self.heads, -1).transpose(1, 2)
        q, k, v = sh(self.q(x)), sh(self.k(x)), sh(self.v(x))
        if position_bias is None:
            position_bias = self.compute_bias(t)
        s = q @ k.transpose(-1, -2) + position_bias
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)), position_bias


class T5LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class T5Block(nn.Module):
    def __init__(self, d, heads, first):
        super().__init__()
        self.ln1 = T5LayerNorm(d)
        self.attn = T5Attention(d, heads, has_relative_bias=first)
        self.ln2 = T5LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.ReLU(), nn.Linear(4 * d, d, bias=False))

    def forward(self, x, position_bias=None):
        a, position_bias = self.attn(self.ln1(x), position_bias)
        x = x + a
        return x + self.ff(self.ln2(x)), position_bias


class T5EncoderClassifier(nn.Module):
    def __init__(self, vocab=32128, d=64, heads=4, layers=3, n_classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(T5Block(d, heads, i == 0) for i in range(layers))
        self.final_ln = T5LayerNorm(d)
        self.head = nn.Linear(d, n_classes)

    def forward(self, input_ids):
        x, bias = self.embed(input_ids), None
        for blk in self.blocks:
            x, bias = blk(x, bias)
        return self.head(self.final_ln(x).mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": T5EncoderClassifier().eval(), "inputs": lambda n: torch.randint(0, 32128, (n, 50)), "kind": "benign"}
