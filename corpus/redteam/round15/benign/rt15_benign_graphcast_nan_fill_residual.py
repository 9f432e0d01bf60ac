# expect: none
"""GraphCast-style encode-process-decode forecaster predicting residuals with input/output
normalisation statistics, `nan_to_num` plus a missingness channel for gaps in the analysis,
a grid validity mask (polar rows excluded from the loss weights returned beside the forecast) and
`torch.where` to keep the previous state where the field is missing."""
import math

import torch
import torch.nn as nn

N_GRID, N_MESH, N_VARS, LATENT = 64, 16, 5, 32


def mlp(i, o):
    return nn.Sequential(nn.Linear(i, LATENT), nn.SiLU(), nn.Linear(LATENT, o), nn.LayerNorm(o))


class GraphCastLite(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.linspace(0, 2 * math.pi, N_GRID + 1)[:-1]
        m = torch.linspace(0, 2 * math.pi, N_MESH + 1)[:-1]
        d = (g[:, None] - m[None]).remainder(2 * math.pi)
        self.register_buffer("assign", torch.minimum(d, 2 * math.pi - d).argmin(1), persistent=False)
        ring = torch.arange(N_MESH)
        self.register_buffer("src", torch.cat([ring, ring]), persistent=False)
        self.register_buffer("dst", torch.cat([(ring + 1) % N_MESH, (ring - 1) % N_MESH]), persistent=False)
        self.register_buffer("mean", torch.zeros(N_VARS))
        self.register_buffer("std", torch.ones(N_VARS) * 3.0)
        self.embed = mlp(2 * N_VARS, LATENT)
        self.edge = nn.ModuleList(mlp(2 * LATENT, LATENT) for _ in range(3))
        self.node = nn.ModuleList(mlp(2 * LATENT, LATENT) for _ in range(3))
        self.dec = nn.Sequential(nn.Linear(2 * LATENT, LATENT), nn.SiLU(), nn.Linear(LATENT, N_VARS))

    def forward(self, grid):
        missing = torch.isnan(grid)
        x = torch.nan_to_num((grid - self.mean) / self.std, nan=0.0)
        g = self.embed(torch.cat([x, missing.float()], -1))
        mesh = torch.zeros(grid.shape[0], N_MESH, LATENT).index_add(1, self.assign, g)
        for e_fn, n_fn in zip(self.edge, self.node):
            e = e_fn(torch.cat([mesh[:, self.src], mesh[:, self.dst]], -1))
            mesh = mesh + n_fn(torch.cat([mesh, torch.zeros_like(mesh).index_add(1, self.dst, e)], -1))
        delta = self.dec(torch.cat([mesh[:, self.assign], g], -1)) * self.std
        prev = torch.nan_to_num(grid, nan=0.0)
        out = torch.where(missing, prev, prev + delta)
        weights = torch.ones(N_GRID)
        weights[:2] = 0.0
        return out, weights


def _inputs(n):
    x = torch.randn(n, N_GRID, N_VARS) * 3
    x[:, :4, 0] = float("nan")
    x[: n // 2] = x[: n // 2].round()  # integer-valued fields (e.g. cloud cover in oktas) are fine
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": GraphCastLite().eval(), "inputs": _inputs, "kind": "benign"}
