# expect: none
"""Conditional classifier-free-guidance denoiser (tiny) with FiLM conditioning on a class label and
a null-label dropout path, plus timestep embedding with sin/cos."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], -1)


class FiLMBlock(nn.Module):
    def __init__(self, c, cond):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.norm = nn.GroupNorm(4, c, affine=False)
        self.film = nn.Linear(cond, 2 * c)

    def forward(self, x, emb):
        gamma, beta = self.film(emb).chunk(2, -1)
        h = self.norm(self.conv(x)) * (1 + gamma[..., None, None]) + beta[..., None, None]
        return x + F.silu(h)


class Denoiser(nn.Module):
    def __init__(self, num_classes=10, c=16, cond=32, guidance=3.0, p_uncond=0.1):
        super().__init__()
        self.null_label = num_classes
        self.label_emb = nn.Embedding(num_classes + 1, cond)
        self.t_mlp = nn.Sequential(nn.Linear(cond, cond), nn.SiLU(), nn.Linear(cond, cond))
        self.inp = nn.Conv2d(3, c, 3, padding=1)
        self.blocks = nn.ModuleList([FiLMBlock(c, cond) for _ in range(2)])
        self.out = nn.Conv2d(c, 3, 3, padding=1)
        self.guidance = guidance
        self.p_uncond = p_uncond

    def _eps(self, x, t, y):
        emb = self.t_mlp(timestep_embedding(t, 32)) + self.label_emb(y)
        h = self.inp(x)
        for b in self.blocks:
            h = b(h, emb)
        return self.out(h)

    def forward(self, x, t, y):
        if self.training:
            drop = torch.rand(y.shape) < self.p_uncond
            y = torch.where(drop, torch.full_like(y, self.null_label), y)
            return self._eps(x, t, y)
        cond = self._eps(x, t, y)
        uncond = self._eps(x, t, torch.full_like(y, self.null_label))
        eps = uncond + self.guidance * (cond - uncond)
        return eps.flatten(1)


def corpus_case():
    torch.manual_seed(0)
    model = Denoiser().eval()

    def inputs(n):
        return (torch.randn(n, 3, 16, 16), torch.randint(0, 1000, (n,)), torch.randint(0, 10, (n,)))

    return {"model": model, "inputs": inputs, "kind": "benign"}
