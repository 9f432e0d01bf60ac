# expect: none
"""Swin-style hierarchical backbone for arbitrary input sizes: feature maps are padded to window
multiples, attention runs in (shifted) windows with the usual -100 cross-region mask, and windows
are formed with a local einops-like ``rearrange`` helper.
"""
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F


def rearrange(x, spec, **sizes):
    lhs, rhs = (s.strip() for s in spec.split("->"))
    parse = lambda side: [t.strip("()").split() for t in re.findall(r"\([^)]*\)|\S+", side)]
    lg, rg = parse(lhs), parse(rhs)
    dims = dict(sizes)
    for grp, n in zip(lg, x.shape):
        known = math.prod(dims[a] for a in grp if a in dims)
        for a in grp:
            dims.setdefault(a, n // known)
    axes = [a for g in lg for a in g]
    x = x.reshape(*[dims[a] for a in axes]).permute(*[axes.index(a) for g in rg for a in g])
    return x.reshape(*[math.prod(dims[a] for a in g) for g in rg])


class WindowAttention(nn.Module):
    def __init__(self, dim, heads, window):
        super().__init__()
        self.heads, self.window = heads, window
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.rel_bias = nn.Parameter(torch.zeros(heads, window * window, window * window))

    def forward(self, x, mask=None):
        bw, n, d = x.shape
        q, k, v = self.qkv(x).view(bw, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-1, -2)) * (d // self.heads) ** -0.5 + self.rel_bias
        if mask is not None:
            attn = attn.view(-1, mask.shape[0], self.heads, n, n) + mask[None, :, None]
            attn = attn.view(bw, self.heads, n, n)
        return self.proj((attn.softmax(-1) @ v).transpose(1, 2).reshape(bw, n, d))


class SwinBlock(nn.Module):
    def __init__(self, dim, heads, window, shift):
        super().__init__()
        self.window, self.shift = window, shift
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, heads, window)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def _shift_mask(self, hp, wp, device):
        img = torch.zeros(1, hp, wp, 1, device=device)
        cnt, w, s = 0, self.window, self.shift
        for hs in (slice(0, -w), slice(-w, -s), slice(-s, None)):
            for ws in (slice(0, -w), slice(-w, -s), slice(-s, None)):
                img[:, hs, ws] = cnt
                cnt += 1
        win = rearrange(img, "b (h p1) (w p2) c -> (b h w) (p1 p2 c)", p1=w, p2=w)
        diff = win[:, None, :] - win[:, :, None]
        return diff.masked_fill(diff != 0, -100.0).masked_fill(diff == 0, 0.0)

    def forward(self, x):
        b, h, w, c = x.shape
        r = x
        x = self.norm1(x)
        ph, pw = (-h) % self.window, (-w) % self.window
        x = F.pad(x, (0, 0, 0, pw, 0, ph))
        hp, wp = h + ph, w + pw
        mask = None
        if self.shift:
            x = torch.roll(x, (-self.shift, -self.shift), (1, 2))
            mask = self._shift_mask(hp, wp, x.device)
        win = rearrange(x, "b (h p1) (w p2) c -> (b h w) (p1 p2) c", p1=self.window, p2=self.window)
        win = self.attn(win, mask)
        x = rearrange(win, "(b h w) (p1 p2) c -> b (h p1) (w p2) c", b=b, h=hp // self.window, p1=self.window, p2=self.window)
        if self.shift:
            x = torch.roll(x, (self.shift, self.shift), (1, 2))
        x = r + x[:, :h, :w]
        return x + self.mlp(self.norm2(x))


class TinySwin(nn.Module):
    def __init__(self, dim=48, window=4, n_classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 4, 4)
        self.blocks = nn.Sequential(SwinBlock(dim, 3, window, 0), SwinBlock(dim, 3, window, window // 2))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, x):
        x = self.patch(x).permute(0, 2, 3, 1)
        x = self.blocks(x)
        return self.head(self.norm(x).mean((1, 2)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TinySwin().eval(), "inputs": lambda n: torch.rand(n, 3, 40, 56), "kind": "benign"}
