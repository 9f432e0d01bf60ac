# expect: none
"""Token classifier with a mixture-of-experts FFN: experts live in an `nn.ModuleDict` under
string names, the router keeps every expert whose probability clears `route_threshold` (at least
the top-1), and expert outputs are combined with `functools.reduce`."""
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

EXPERT_NAMES = ("syntax", "entities", "numbers", "rare")


class Expert(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden)
        self.w2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.w2(F.gelu(self.w1(x)))


class ThresholdRouter(nn.Module):
    def __init__(self, dim, names, route_threshold=0.2):
        super().__init__()
        self.names = tuple(names)
        self.gate = nn.Linear(dim, len(names), bias=False)
        self.route_threshold = route_threshold

    def forward(self, x):
        probs = self.gate(x).softmax(-1)
        top1 = F.one_hot(probs.argmax(-1), len(self.names)).bool()
        keep = (probs > self.route_threshold) | top1
        weights = torch.where(keep, probs, torch.zeros_like(probs))
        weights = weights / weights.sum(-1, keepdim=True)
        aux = (probs.mean(0) * keep.float().mean(0)).sum() * len(self.names)
        return {name: weights[..., i:i + 1] for i, name in enumerate(self.names)}, aux


class MoELayer(nn.Module):
    def __init__(self, dim, hidden=128, names=EXPERT_NAMES):
        super().__init__()
        self.experts = nn.ModuleDict({name: Expert(dim, hidden) for name in names})
        self.router = ThresholdRouter(dim, names)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        h = self.norm(x)
        weights, aux = self.router(h)
        outs = [weights[name] * expert(h) for name, expert in self.experts.items()]
        return x + functools.reduce(operator.add, outs), aux


class MoETagger(nn.Module):
    def __init__(self, vocab_size=1000, dim=64, layers=2, num_tags=9):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.attn = nn.ModuleList(nn.TransformerEncoderLayer(dim, 4, 128, dropout=0.0, batch_first=True)
                                  for _ in range(layers))
        self.moe = nn.ModuleList(MoELayer(dim) for _ in range(layers))
        self.head = nn.Linear(dim, num_tags)

    def forward(self, ids):
        pad = ids == 0
        h = self.embed(ids)
        aux_total = h.new_zeros(())
        for attn, moe in zip(self.attn, self.moe):
            h = attn(h, src_key_padding_mask=pad)
            h, aux = moe(h)
            aux_total = aux_total + aux
        return self.head(h), aux_total


def corpus_case():
    torch.manual_seed(0)
    model = MoETagger().eval()

    def inputs(n):
        ids = torch.randint(1, 1000, (n, 20))
        ids[:, 16:] = 0
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
