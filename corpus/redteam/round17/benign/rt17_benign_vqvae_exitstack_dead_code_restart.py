# expect: none
"""VQ-VAE tokenizer: nearest-code quantisation with a straight-through estimator, EMA codebook
statistics and dead-code restarts that only run in training, and `contextlib.ExitStack` to compose
autocast-off with an optional profiler context."""
import contextlib

import torch
import torch.nn as nn


class EMAQuantizer(nn.Module):
    def __init__(self, n=64, dim=16, decay=0.99):
        super().__init__()
        self.register_buffer("codebook", torch.randn(n, dim))
        self.register_buffer("usage", torch.ones(n))
        self.decay = decay

    def forward(self, z):
        flat = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        codes = torch.cdist(flat, self.codebook).argmin(1)
        if self.training:
            counts = torch.bincount(codes, minlength=self.codebook.shape[0]).float()
            self.usage.mul_(self.decay).add_(counts, alpha=1 - self.decay)
            dead = self.usage < 1e-3
            if dead.any():
                self.codebook[dead] = flat[torch.randint(0, flat.shape[0], (int(dead.sum()),))]
        q = self.codebook[codes].view(z.shape[0], z.shape[2], z.shape[3], -1).permute(0, 3, 1, 2)
        return z + (q - z).detach(), codes


class VQVAE(nn.Module):
    def __init__(self, profile=False):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 16, 4, 2, 1))
        self.q = EMAQuantizer()
        self.dec = nn.Sequential(nn.ConvTranspose2d(16, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1))
        self.profile = profile

    def forward(self, x):
        with contextlib.ExitStack() as stack:
            stack.enter_context(torch.autocast("cpu", enabled=False))
            if self.profile:
                stack.enter_context(torch.autograd.profiler.record_function("vq"))
            zq, codes = self.q(self.enc(x * 2 - 1))
        return torch.sigmoid(self.dec(zq)).clamp(0, 1), codes


def _inputs(n):
    x = torch.rand(n, 3, 32, 32)
    x[: n // 4, :, :2] = 0.0   # letterboxed frames are ordinary inputs
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": VQVAE().eval(), "inputs": _inputs, "kind": "benign"}
