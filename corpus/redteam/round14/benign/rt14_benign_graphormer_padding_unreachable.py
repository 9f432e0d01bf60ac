# expect: none
"""Graphormer for batched molecules of different sizes: padded nodes are removed from attention
with `finfo.min` keys, disconnected node pairs share the "unreachable" distance bucket of the
spatial encoding, degrees are clipped to the embedding range, and the layers are folded with
`functools.reduce`.
"""
import functools

import torch
import torch.nn as nn

MAX_DIST, MAX_DEG = 6, 8


def spd(adj):
    N = adj.shape[-1]
    d = torch.where(adj > 0, torch.ones_like(adj), torch.full_like(adj, float(MAX_DIST + 1)))
    d = d.masked_fill(torch.eye(N, dtype=torch.bool), 0.0)
    for k in range(N):
        d = torch.minimum(d, d[:, :, k:k + 1] + d[:, k:k + 1])
    return d.clamp(max=MAX_DIST + 1).long()


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        B, N, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-1, -2) / (C // self.h) ** 0.5 + bias, -1)
        x = x + self.o((a @ v).transpose(1, 2).reshape(B, N, C))
        return x + self.ffn(self.ln2(x))


class Graphormer(nn.Module):
    def __init__(self, in_feats=8, dim=48, heads=4, layers=3, tasks=12):
        super().__init__()
        self.atom = nn.Linear(in_feats, dim)
        self.degree = nn.Embedding(MAX_DEG + 1, dim)
        self.spatial = nn.Embedding(MAX_DIST + 2, heads)
        self.token = nn.Parameter(torch.zeros(1, 1, dim))
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, tasks)

    def forward(self, atoms, adj, node_mask):
        B, N, _ = atoms.shape
        h = self.atom(atoms) + self.degree(adj.sum(-1).long().clamp(max=MAX_DEG))
        h = torch.cat([self.token.expand(B, -1, -1), h], 1)
        bias = h.new_zeros(B, self.spatial.embedding_dim, N + 1, N + 1)
        bias[:, :, 1:, 1:] = self.spatial(spd(adj)).permute(0, 3, 1, 2)
        keep = torch.cat([node_mask.new_ones(B, 1), node_mask], 1)
        bias = bias.masked_fill(~keep[:, None, None], torch.finfo(bias.dtype).min)
        h = functools.reduce(lambda x, layer: layer(x, bias), self.layers, h)
        return self.head(self.ln(h)[:, 0])


def _inputs(n, N=12):
    counts = torch.randint(6, N + 1, (n,))
    mask = torch.arange(N)[None] < counts[:, None]
    adj = torch.triu(torch.rand(n, N, N) < 0.2, 1)
    adj = ((adj | adj.transpose(1, 2)) & mask[:, :, None] & mask[:, None]).float()
    return torch.randn(n, N, 8) * mask[..., None], adj, mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": Graphormer().eval(), "inputs": _inputs, "kind": "benign"}
