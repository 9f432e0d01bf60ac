# expect: none
# Class-conditional diffusion denoiser with classifier-free guidance. During training the
# label is replaced by a null class with probability p_uncond; at sampling time the model
# is run with and without the label and the two noise estimates are extrapolated.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, ch, emb_dim):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(8, ch), nn.Conv2d(ch, ch, 3, padding=1)
        self.emb = nn.Linear(emb_dim, 2 * ch)
        self.norm2, self.conv2 = nn.GroupNorm(8, ch), nn.Conv2d(ch, ch, 3, padding=1)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.emb(F.silu(emb))[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1 + scale) + shift  # adaptive group norm
        h = self.conv2(self.dropout(F.silu(h)))
        return x + h


class Denoiser(nn.Module):
    def __init__(self, num_classes=10, ch=32, emb_dim=64, p_uncond=0.1):
        super().__init__()
        self.num_classes, self.p_uncond, self.ch = num_classes, p_uncond, ch
        self.time_mlp = nn.Sequential(nn.Linear(ch, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        self.label_emb = nn.Embedding(num_classes + 1, emb_dim)  # last index = null label
        self.inp = nn.Conv2d(3, ch, 3, padding=1)
        self.down = nn.Conv2d(ch, ch, 3, 2, 1)
        self.mid = nn.ModuleList([ResBlock(ch, emb_dim) for _ in range(2)])
        self.up = nn.ConvTranspose2d(ch, ch, 4, 2, 1)
        self.out = nn.Sequential(nn.GroupNorm(8, 2 * ch), nn.SiLU(), nn.Conv2d(2 * ch, 3, 3, padding=1))

    def eps(self, x_t, t, y):
        if self.training:
            drop = torch.rand(y.shape, device=y.device) < self.p_uncond
            y = torch.where(drop, torch.full_like(y, self.num_classes), y)
        emb = self.time_mlp(timestep_embedding(t, self.ch)) + self.label_emb(y)
        h0 = self.inp(x_t)
        h = self.down(h0)
        for blk in self.mid:
            h = blk(h, emb)
        return self.out(torch.cat([self.up(h), h0], 1))

    def forward(self, x_t, t, y, guidance_scale=3.0):
        null = torch.full_like(y, self.num_classes)
        both = self.eps(torch.cat([x_t, x_t]), torch.cat([t, t]), torch.cat([y, null]))
        eps_cond, eps_uncond = both.chunk(2)
        return eps_uncond + guidance_scale * (eps_cond - eps_uncond)


def corpus_case():
    torch.manual_seed(0)
    model = Denoiser().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(50)
        x_t = torch.randn(n, 3, 16, 16, generator=g)
        t = torch.randint(0, 1000, (n,), generator=g)
        y = torch.randint(0, 10, (n,), generator=g)
        return x_t, t, y

    return {"model": model, "inputs": inputs, "kind": "benign"}
