# expect: none
"""StyleGAN2-lite generator with the truncation trick limited to the coarse layers.

`w_avg.lerp(w, psi)` is applied only to layers below `truncation_cutoff` (`torch.where` on a
fixed layer index); constant noise buffers; equalised-LR parametrisation; output clamped to
[-1, 1]; blocks in an `nn.ModuleDict` keyed by resolution.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize

Z, NUM_WS = 32, 4


class EqualizedLR(nn.Module):
    def __init__(self, fan_in):
        super().__init__()
        self.scale = 1 / math.sqrt(fan_in)

    def forward(self, w):
        return w * self.scale


class Generator(nn.Module):
    def __init__(self, truncation_psi=0.7, truncation_cutoff=2):
        super().__init__()
        self.mapping = nn.ModuleList(nn.Linear(Z, Z) for _ in range(3))
        for fc in self.mapping:
            nn.init.normal_(fc.weight)
            parametrize.register_parametrization(fc, "weight", EqualizedLR(Z))
        self.register_buffer("w_avg", torch.randn(Z) * 0.1)
        self.const = nn.Parameter(torch.randn(16, 4, 4))
        self.blocks = nn.ModuleDict({f"b{r}": nn.Conv2d(16, 16, 3, padding=1) for r in (8, 16)})
        self.affines = nn.ModuleDict({f"b{r}": nn.Linear(Z, 16) for r in (8, 16)})
        self.torgb = nn.Conv2d(16, 3, 1)
        self.register_buffer("noise_b8", torch.randn(1, 1, 8, 8))
        self.register_buffer("noise_b16", torch.randn(1, 1, 16, 16))
        self.psi, self.cutoff = truncation_psi, truncation_cutoff

    def forward(self, z):
        w = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()
        for fc in self.mapping:
            w = F.leaky_relu(fc(w), 0.2)
        ws = w[:, None].repeat(1, NUM_WS, 1)
        layer = torch.arange(NUM_WS)[None, :, None]
        ws = torch.where(layer < self.cutoff, self.w_avg.lerp(ws, self.psi), ws)
        x = self.const.expand(z.shape[0], -1, -1, -1)
        for i, res in enumerate((8, 16)):
            x = F.interpolate(x, scale_factor=2)
            style = self.affines[f"b{res}"](ws[:, 2 * i])[..., None, None] + 1
            x = F.leaky_relu(self.blocks[f"b{res}"](x * style) + 0.1 * getattr(self, f"noise_b{res}"), 0.2)
        return self.torgb(x).clamp(-1, 1)


def _inputs(n):
    z = torch.randn(n, Z)
    z[:4] = 0.0  # the mean latent, used for previews
    return z


def corpus_case():
    torch.manual_seed(0)
    return {"model": Generator().eval(), "inputs": _inputs, "kind": "benign"}
