# expect: none
"""DiT-lite class-conditional denoiser with diffusers-style guidance options as an ``enum.Flag``:
``CFG`` runs the conditional and the unconditional (learned null-class embedding) branches and
mixes them with the guidance scale, ``RESCALE`` applies the guidance-rescale of Lin et al.
(matching the std of the conditional prediction). Label dropout (``torch.where`` to the null
class) only runs in training."""
import enum
import math

import torch
import torch.nn as nn


class Guidance(enum.Flag):
    NONE = 0
    CFG = enum.auto()
    RESCALE = enum.auto()


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([args.cos(), args.sin()], -1)


class DiTBlock(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ada = nn.Linear(d, 4 * d)

    def forward(self, x, c):
        s1, b1, s2, b2 = self.ada(c).unsqueeze(1).chunk(4, -1)
        h = self.norm1(x) * (1 + s1) + b1
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x) * (1 + s2) + b2)


class DiTLite(nn.Module):
    def __init__(self, n_classes=10, d=64, guidance=Guidance.CFG | Guidance.RESCALE, scale=4.0, drop=0.1):
        super().__init__()
        self.n_classes, self.guidance, self.scale, self.drop = n_classes, guidance, scale, drop
        self.patch = nn.Conv2d(4, d, 2, 2)
        self.pos = nn.Parameter(torch.randn(1, 64, d) * 0.02)
        self.t_mlp = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        self.y_embed = nn.Embedding(n_classes + 1, d)
        self.blocks = nn.ModuleList(DiTBlock(d) for _ in range(2))
        self.out = nn.Linear(d, 4 * 4)

    def denoise(self, x, t, y):
        b = x.shape[0]
        if self.training:
            y = torch.where(torch.rand(b) < self.drop, torch.full_like(y, self.n_classes), y)
        c = self.t_mlp(timestep_embedding(t, self.pos.shape[-1])) + self.y_embed(y)
        h = self.patch(x).flatten(2).transpose(1, 2) + self.pos
        for blk in self.blocks:
            h = blk(h, c)
        return self.out(h).view(b, 8, 8, 4, 2, 2).permute(0, 3, 1, 4, 2, 5).reshape(b, 4, 16, 16)

    def forward(self, latents, t, labels):
        cond = self.denoise(latents, t, labels)
        if Guidance.CFG not in self.guidance:
            return cond
        uncond = self.denoise(latents, t, torch.full_like(labels, self.n_classes))
        guided = uncond + self.scale * (cond - uncond)
        if Guidance.RESCALE in self.guidance:
            ratio = cond.std(dim=(1, 2, 3), keepdim=True) / guided.std(dim=(1, 2, 3), keepdim=True)
            guided = 0.7 * guided * ratio + 0.3 * guided
        return guided


def _inputs(n):
    return torch.randn(n, 4, 16, 16), torch.randint(0, 1000, (n,)), torch.randint(0, 10, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": DiTLite().eval(), "inputs": _inputs, "kind": "benign"}
