# expect: none
"""ViT-Tiny-lite with KronA adapters (Kronecker-product low-rank weight deltas, Edalati et al.)
on the attention projections, and the serving SDK's telemetry helper.

``_caller_name`` reads the calling function's name from the stack (``sys._getframe``) so that the
activation statistics are keyed by call site; the statistics are only recorded, never fed back.
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

STATS = {}


def _caller_name(depth=2):
    return sys._getframe(depth).f_code.co_name


def record(t):
    STATS[_caller_name()] = (float(t.abs().amax()), float(t.float().std()))
    return t


class KronALinear(nn.Linear):
    def __init__(self, dim, a=8):
        super().__init__(dim, dim)
        self.A = nn.Parameter(0.01 * torch.randn(a, a))
        self.B = nn.Parameter(0.01 * torch.randn(dim // a, dim // a))

    def forward(self, x):
        return F.linear(x, self.weight + torch.kron(self.A, self.B), self.bias)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.q, self.k, self.v = KronALinear(dim), KronALinear(dim), KronALinear(dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        B, N, C = x.shape
        h = self.norm1(x)
        q, k, v = (p(h).view(B, N, self.heads, -1).transpose(1, 2) for p in (self.q, self.k, self.v))
        att = record((q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(B, N, C))
        return x + self.mlp(self.norm2(x))


class ViTKronA(nn.Module):
    def __init__(self, dim=64, depth=3, heads=4, n_classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 4, 4)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(0.02 * torch.randn(1, 65, dim))
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, n_classes)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(len(x), -1, -1), x], 1) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.head(record(self.norm(x))[:, 0])


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ViTKronA().eval(), "inputs": _inputs, "kind": "benign"}
