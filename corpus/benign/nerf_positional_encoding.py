# expect: none
# NeRF MLP. The raw 3-D sample positions and view directions are lifted with a Fourier
# positional encoding sin(2^k * pi * x), cos(2^k * pi * x) before the learned MLP; a skip
# connection re-injects the encoded positions at layer 4 (as in the paper).
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Embedder(nn.Module):
    def __init__(self, n_freqs, include_input=True, log_sampling=True):
        super().__init__()
        bands = 2.0 ** torch.linspace(0, n_freqs - 1, n_freqs) if log_sampling else torch.linspace(1, 2 ** (n_freqs - 1), n_freqs)
        self.register_buffer("freq_bands", bands * math.pi)
        self.include_input = include_input

    def out_dim(self, d):
        return d * (2 * self.freq_bands.numel() + int(self.include_input))

    def forward(self, x):
        xb = x[..., None, :] * self.freq_bands[:, None]  # (..., F, D)
        enc = torch.cat([torch.sin(xb), torch.cos(xb)], dim=-2).flatten(-2)
        return torch.cat([x, enc], dim=-1) if self.include_input else enc


class NeRF(nn.Module):
    def __init__(self, depth=6, width=64, pos_freqs=6, dir_freqs=3, skips=(3,)):
        super().__init__()
        self.embed_pos, self.embed_dir = Embedder(pos_freqs), Embedder(dir_freqs)
        in_pos, in_dir = self.embed_pos.out_dim(3), self.embed_dir.out_dim(3)
        self.skips = skips
        self.pts_linears = nn.ModuleList(
            [nn.Linear(in_pos, width)] + [nn.Linear(width + (in_pos if i in skips else 0), width) for i in range(depth - 1)]
        )
        self.alpha_linear = nn.Linear(width, 1)
        self.feature_linear = nn.Linear(width, width)
        self.views_linear = nn.Linear(width + in_dir, width // 2)
        self.rgb_linear = nn.Linear(width // 2, 3)

    def forward(self, pts, viewdirs):
        viewdirs = viewdirs / viewdirs.norm(dim=-1, keepdim=True).clamp_min(1e-8)
        ep, ed = self.embed_pos(pts), self.embed_dir(viewdirs)
        h = ep
        for i, layer in enumerate(self.pts_linears):
            h = F.relu(layer(h))
            if i in self.skips:
                h = torch.cat([ep, h], dim=-1)
        sigma = F.softplus(self.alpha_linear(h) - 1.0)
        h = F.relu(self.views_linear(torch.cat([self.feature_linear(h), ed], dim=-1)))
        rgb = torch.sigmoid(self.rgb_linear(h))
        return torch.cat([rgb, sigma], dim=-1)


def volume_render(raw, z_vals):
    dists = torch.cat([z_vals[..., 1:] - z_vals[..., :-1], torch.full_like(z_vals[..., :1], 1e10)], -1)
    alpha = 1.0 - torch.exp(-raw[..., 3] * dists)
    trans = torch.cumprod(torch.cat([torch.ones_like(alpha[..., :1]), 1.0 - alpha + 1e-10], -1), -1)[..., :-1]
    weights = alpha * trans
    return (weights[..., None] * raw[..., :3]).sum(-2)


def corpus_case():
    torch.manual_seed(0)
    model = NeRF().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(210)
        pts = 2 * torch.rand(n, 32, 3, generator=g) - 1
        dirs = torch.randn(n, 32, 3, generator=g)
        return pts, dirs

    return {"model": model, "inputs": inputs, "kind": "benign"}
