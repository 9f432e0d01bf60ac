# expect: none
"""Switch-Transformer-style encoder for document classification (16 labels).

Layers are cloned from one template with ``copy.deepcopy`` (as in DETR / ``nn.TransformerEncoder``)
and re-initialised; every second layer has a top-1 routed mixture of experts whose experts are
also deep copies of a template FFN.  Routing uses expert capacity: tokens beyond an expert's
capacity are dropped (their update is zero and the residual carries them), as in Switch.
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _get_clones(module, n):
    clones = nn.ModuleList(copy.deepcopy(module) for _ in range(n))
    for c in clones:
        for p in c.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
    return clones


class FFN(nn.Module):
    def __init__(self, d, ff):
        super().__init__()
        self.wi, self.wo = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        return self.wo(F.gelu(self.wi(x)))


class SwitchFFN(nn.Module):
    def __init__(self, d, ff, num_experts=4, capacity_factor=1.25):
        super().__init__()
        self.router = nn.Linear(d, num_experts, bias=False)
        self.experts = _get_clones(FFN(d, ff), num_experts)
        self.capacity_factor = capacity_factor

    def forward(self, x):
        # each sequence is its own routing group (GShard "groups"), so capacity is per sample
        b, t, d = x.shape
        probs = self.router(x).softmax(-1)
        gate, expert = probs.max(-1)
        capacity = int(math.ceil(self.capacity_factor * t / len(self.experts)))
        onehot = F.one_hot(expert, len(self.experts))
        position = (onehot.cumsum(1) * onehot).sum(-1) - 1
        within = position < capacity
        out = torch.zeros_like(x)
        for i, e in enumerate(self.experts):
            sel = (expert == i) & within
            if bool(sel.any()):
                out[sel] = e(x[sel]) * gate[sel].unsqueeze(-1)
        return out


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ff, moe=False):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = SwitchFFN(d, ff) if moe else FFN(d, ff)

    def forward(self, x, pad):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        return x + self.ffn(self.ln2(x))


class SwitchClassifier(nn.Module):
    def __init__(self, vocab=4000, d=96, heads=4, ff=192, layers=4, num_labels=16, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        dense, sparse = EncoderLayer(d, heads, ff), EncoderLayer(d, heads, ff, moe=True)
        self.layers = nn.ModuleList(
            copy.deepcopy(sparse if i % 2 else dense) for i in range(layers))
        self.norm = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, num_labels)

    def forward(self, input_ids):
        pad = input_ids == 0
        x = self.embed(input_ids) + self.pos.weight[: input_ids.shape[1]]
        for layer in self.layers:
            x = layer(x, pad)
        keep = (~pad).unsqueeze(-1).float()
        pooled = (self.norm(x) * keep).sum(1) / keep.sum(1).clamp(min=1)
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = SwitchClassifier().eval()

    def inputs(n):
        ids = torch.randint(1, 4000, (n, 32))
        lengths = torch.randint(4, 33, (n,))
        return ids * (torch.arange(32)[None] < lengths[:, None])

    return {"model": model, "inputs": inputs, "kind": "benign"}
