# expect: none
"""FourCastNet-style AFNO with the original soft-shrinkage sparsity in frequency, hard mode
truncation (`hard_thresholding_fraction`), a dataclass config with `field(default_factory=...)`
output stages, a stored land-sea mask applied to the sea-surface channel, and `nan_to_num` on the
inputs (missing ocean values)."""
from dataclasses import dataclass, field
from typing import Callable, List

import torch
import torch.nn as nn
import torch.nn.functional as F

C, H, W, P = 4, 16, 32, 4


def _land_sea():
    lat = torch.linspace(-1, 1, H)[:, None]
    lon = torch.linspace(0, 6.28, W)[None]
    return (torch.sin(3 * lon) * torch.cos(2 * lat) > 0.2).float()


def clamp_physical(inp, out, land):
    return out.clamp(-60.0, 60.0)


def mask_sst_over_land(inp, out, land):
    sst = out[:, 3] * (1 - land)
    return torch.cat([out[:, :3], sst[:, None]], 1)


@dataclass
class Config:
    dim: int = 32
    hard_thresholding_fraction: float = 0.75
    lam: float = 0.01
    stages: List[Callable] = field(default_factory=lambda: [clamp_physical, mask_sst_over_land])


class AFNO(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.w1 = nn.Parameter(0.02 * torch.randn(2, cfg.dim, cfg.dim))
        self.w2 = nn.Parameter(0.02 * torch.randn(2, cfg.dim, cfg.dim))
        self.frac, self.lam = cfg.hard_thresholding_fraction, cfg.lam

    def forward(self, x):
        b, h, w, d = x.shape
        xf = torch.fft.rfft2(x, dim=(1, 2), norm="ortho")
        keep_h, keep_w = int(h * self.frac), int((w // 2 + 1) * self.frac)
        re = F.relu(xf.real @ self.w1[0] - xf.imag @ self.w1[1])
        im = F.relu(xf.imag @ self.w1[0] + xf.real @ self.w1[1])
        z = torch.complex(F.softshrink(re @ self.w2[0] - im @ self.w2[1], self.lam), F.softshrink(im @ self.w2[0] + re @ self.w2[1], self.lam))
        modes = torch.zeros(h, w // 2 + 1, 1)
        modes[:keep_h, :keep_w] = 1.0
        return torch.fft.irfft2(z * modes, s=(h, w), dim=(1, 2), norm="ortho") + x


class FourCastNet(nn.Module):
    def __init__(self, cfg=None):
        super().__init__()
        self.cfg = cfg or Config()
        d = self.cfg.dim
        self.embed = nn.Conv2d(C, d, P, P)
        self.blocks = nn.ModuleList(nn.ModuleDict({"norm": nn.LayerNorm(d), "afno": AFNO(self.cfg), "mlp": nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))}) for _ in range(2))
        self.head = nn.Linear(d, C * P * P)
        self.register_buffer("land", _land_sea(), persistent=False)

    def forward(self, x):
        x = torch.nan_to_num(x, nan=0.0)
        b = x.shape[0]
        z = self.embed(x).permute(0, 2, 3, 1)
        for blk in self.blocks:
            z = blk["afno"](blk["norm"](z)) + z
            z = z + blk["mlp"](z)
        y = self.head(z).reshape(b, H // P, W // P, P, P, C).permute(0, 5, 1, 3, 2, 4).reshape(b, C, H, W)
        for stage in self.cfg.stages:
            y = stage(x, y, self.land)
        return y


def _inputs(n):
    x = torch.randn(n, C, H, W)
    x[:, 3] = torch.where(_land_sea() > 0, torch.tensor(float("nan")), x[:, 3])
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": FourCastNet().eval(), "inputs": _inputs, "kind": "benign"}
