# Tiny decoder-only LM used by the on-device autocomplete; returns next-token scores.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .processors import PhraseBiasProcessor


class Attention(nn.Module):
    def __init__(self, dim, heads, ctx):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("tril", torch.tril(torch.ones(ctx, ctx)).bool(), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // self.heads)
        att = att.masked_fill(~self.tril[:t, :t], float("-inf")).softmax(-1)
        return self.out((att @ v).transpose(1, 2).reshape(b, t, d))


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads, ctx):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, ctx)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ff(self.norm2(x))


class TinyLM(nn.Module):
    def __init__(self, vocab=256, ctx=16, dim=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.layers = nn.ModuleList(DecoderLayer(dim, heads, ctx) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids):
        h = self.tok(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        for layer in self.layers:
            h = layer(h)
        return self.head(self.norm(h))[:, -1, :]


class AutocompleteLM(nn.Module):
    """TinyLM plus the product's logits processors (style rules shipped with the model)."""

    def __init__(self, vocab=256):
        super().__init__()
        self.lm = TinyLM(vocab)
        self.processors = [PhraseBiasProcessor((101, 7, 230), 50, vocab)]

    def forward(self, input_ids):
        scores = self.lm(input_ids)
        for proc in self.processors:
            scores = proc(input_ids, scores)
        return F.log_softmax(scores, dim=-1)
