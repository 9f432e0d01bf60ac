# expect: none
"""DDIM sampler step with classifier-free guidance and Imagen dynamic thresholding.

``model(x_t, t, class_labels)`` returns the next latent; the denoiser is a small conditional U-Net.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], -1)


class ResBlock(nn.Module):
    def __init__(self, c, emb):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(8, c), nn.Conv2d(c, c, 3, padding=1)
        self.emb = nn.Linear(emb, 2 * c)
        self.norm2, self.conv2 = nn.GroupNorm(8, c), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.emb(e)[:, :, None, None].chunk(2, 1)
        h = self.norm2(h) * (1 + scale) + shift
        return x + self.conv2(F.silu(h))


class TinyUNet(nn.Module):
    def __init__(self, c=32, emb=64, num_classes=10):
        super().__init__()
        self.time = nn.Sequential(nn.Linear(emb, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(num_classes + 1, emb)          # last index = null label (CFG)
        self.inp = nn.Conv2d(3, c, 3, padding=1)
        self.down, self.mid, self.up = ResBlock(c, emb), ResBlock(2 * c, emb), ResBlock(c, emb)
        self.pool, self.expand = nn.Conv2d(c, 2 * c, 3, 2, 1), nn.ConvTranspose2d(2 * c, c, 2, 2)
        self.out = nn.Conv2d(2 * c, 3, 3, padding=1)

    def forward(self, x, t, y):
        e = self.time(timestep_embedding(t, 64)) + self.label(y)
        h1 = self.down(self.inp(x), e)
        h = self.expand(self.mid(self.pool(h1), e))
        return self.out(torch.cat([self.up(h, e), h1], 1))            # U-Net skip


class DDIMGuidedStep(nn.Module):
    def __init__(self, num_classes=10, guidance_scale=4.0, steps=1000, percentile=0.995):
        super().__init__()
        self.unet = TinyUNet(num_classes=num_classes)
        betas = torch.linspace(1e-4, 0.02, steps)
        self.register_buffer("alphas_cumprod", torch.cumprod(1 - betas, 0))
        self.null_label, self.guidance_scale, self.percentile = num_classes, guidance_scale, percentile

    def dynamic_threshold(self, x0):
        s = torch.quantile(x0.abs().flatten(1), self.percentile, dim=1)
        s = torch.where(s > 1.0, s, torch.ones_like(s)).view(-1, 1, 1, 1)
        return x0.clamp(-s, s) / s

    def forward(self, x_t, t, class_labels, t_prev=None):
        null = torch.full_like(class_labels, self.null_label)
        eps_c, eps_u = self.unet(torch.cat([x_t, x_t]), torch.cat([t, t]), torch.cat([class_labels, null])).chunk(2)
        eps = eps_u + self.guidance_scale * (eps_c - eps_u)
        a_t = self.alphas_cumprod[t].view(-1, 1, 1, 1)
        t_prev = (t - 50).clamp_min(0) if t_prev is None else t_prev
        a_prev = torch.where(t_prev[:, None, None, None] >= 0, self.alphas_cumprod[t_prev].view(-1, 1, 1, 1),
                             torch.ones_like(a_t))
        x0 = self.dynamic_threshold((x_t - (1 - a_t).sqrt() * eps) / a_t.sqrt())
        eps = (x_t - a_t.sqrt() * x0) / (1 - a_t).sqrt()
        return a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.randn(n, 3, 16, 16), torch.randint(100, 1000, (n,)), torch.randint(0, 10, (n,))

    return {"model": DDIMGuidedStep().eval(), "inputs": inputs, "kind": "benign"}
