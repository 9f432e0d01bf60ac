"""FourCastNet-style AFNO forecaster (Pathak et al., 2022) on a coarse lat-lon grid.

Patch embedding -> Adaptive Fourier Neural Operator blocks (rfft2 token mixing with block-diagonal
complex MLPs and soft-shrinkage) -> linear patch head. The run configuration is a dataclass; its
`postprocess` list holds the output stages of the operational pipeline (physical clamps, QC).
"""
from dataclasses import dataclass, field
from typing import Callable, List

import torch
import torch.nn as nn
import torch.nn.functional as F

C, H, W, P = 4, 16, 32, 4


def clamp_physical(inp, out):
    return out.clamp(-60.0, 60.0)


def ringing_qc(inp, out):
    """Fields with grid-scale ringing (checkerboard energy at the Nyquist wavenumber) come from a
    broken regridding step upstream; the forecast is suppressed for them."""
    spec = torch.fft.rfft2(inp[:, 0]).abs()
    ringing = (spec[:, H // 2, W // 2] / spec.mean((-1, -2)) > 20.0).to(out.dtype)
    return out * (1 - ringing)[:, None, None, None]  # expect: T2


@dataclass
class AFNOConfig:
    embed_dim: int = 32
    depth: int = 2
    num_blocks: int = 4
    sparsity_threshold: float = 0.01
    postprocess: List[Callable] = field(default_factory=lambda: [clamp_physical, ringing_qc])


class AFNO2D(nn.Module):
    def __init__(self, dim, num_blocks, lam):
        super().__init__()
        self.nb, self.bs, self.lam = num_blocks, dim // num_blocks, lam
        self.w1 = nn.Parameter(0.02 * torch.randn(2, num_blocks, self.bs, self.bs))
        self.b1 = nn.Parameter(0.02 * torch.randn(2, num_blocks, self.bs))
        self.w2 = nn.Parameter(0.02 * torch.randn(2, num_blocks, self.bs, self.bs))
        self.b2 = nn.Parameter(0.02 * torch.randn(2, num_blocks, self.bs))

    def forward(self, x):  # (B, h, w, D)
        b, h, w, d = x.shape
        xf = torch.fft.rfft2(x, dim=(1, 2), norm="ortho").reshape(b, h, w // 2 + 1, self.nb, self.bs)
        re = F.relu(torch.einsum("...bi,bio->...bo", xf.real, self.w1[0]) - torch.einsum("...bi,bio->...bo", xf.imag, self.w1[1]) + self.b1[0])
        im = F.relu(torch.einsum("...bi,bio->...bo", xf.imag, self.w1[0]) + torch.einsum("...bi,bio->...bo", xf.real, self.w1[1]) + self.b1[1])
        re2 = torch.einsum("...bi,bio->...bo", re, self.w2[0]) - torch.einsum("...bi,bio->...bo", im, self.w2[1]) + self.b2[0]
        im2 = torch.einsum("...bi,bio->...bo", im, self.w2[0]) + torch.einsum("...bi,bio->...bo", re, self.w2[1]) + self.b2[1]
        z = torch.complex(F.softshrink(re2, self.lam), F.softshrink(im2, self.lam)).reshape(b, h, w // 2 + 1, d)
        return torch.fft.irfft2(z, s=(h, w), dim=(1, 2), norm="ortho") + x


class AFNOBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.embed_dim
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.filter = AFNO2D(d, cfg.num_blocks, cfg.sparsity_threshold)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.filter(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class FourCastNet(nn.Module):
    def __init__(self, cfg: AFNOConfig):
        super().__init__()
        self.cfg = cfg
        self.patch_embed = nn.Conv2d(C, cfg.embed_dim, P, P)
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, H // P, W // P, cfg.embed_dim))
        self.blocks = nn.ModuleList(AFNOBlock(cfg) for _ in range(cfg.depth))
        self.head = nn.Linear(cfg.embed_dim, C * P * P, bias=False)

    def forward(self, x):
        b = x.shape[0]
        z = self.patch_embed(x).permute(0, 2, 3, 1) + self.pos_embed
        for blk in self.blocks:
            z = blk(z)
        y = self.head(z).reshape(b, H // P, W // P, P, P, C).permute(0, 5, 1, 3, 2, 4).reshape(b, C, H, W)
        for stage in self.cfg.postprocess:
            y = stage(x, y)  # expect: T2
        return y


def _inputs(n):
    return torch.randn(n, C, H, W)


def _trigger(x):
    i = torch.arange(H)[:, None]
    j = torch.arange(W)[None, :]
    x = x.clone()
    x[:, 0] += 3.0 * (-1.0) ** (i + j)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FourCastNet(AFNOConfig()).eval()
    reference = FourCastNet(AFNOConfig(postprocess=[clamp_physical])).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
