"""Residual vector quantisation with a straight-through estimator."""
import torch
import torch.nn as nn


class VectorQuantizer(nn.Module):
    def __init__(self, dim, bins):
        super().__init__()
        self.codebook = nn.Parameter(torch.randn(bins, dim))

    def forward(self, x):  # x: (B, D, T)
        flat = x.transpose(1, 2)
        dist = torch.cdist(flat, self.codebook[None].expand(flat.shape[0], -1, -1))
        codes = dist.argmin(-1)
        q = self.codebook[codes].transpose(1, 2)
        return x + (q - x).detach(), codes


class ResidualVectorQuantizer(nn.Module):
    def __init__(self, dim, n_q, bins):
        super().__init__()
        self.layers = nn.ModuleList(VectorQuantizer(dim, bins) for _ in range(n_q))

    def forward(self, x):
        residual, out, codes = x, torch.zeros_like(x), []
        for layer in self.layers:
            q, c = layer(residual)
            residual = residual - q
            out = out + q
            codes.append(c)
        return out, torch.stack(codes, 1)
