# expect: none
"""MLP-Mixer built entirely out of nn.Sequential pieces by small factory functions
(the lucidrains style). Token mixing transposes patches and channels, PreNormResidual
wraps each MLP."""
from functools import partial

import torch
import torch.nn as nn


class PreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.fn = fn
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        return self.fn(self.norm(x)) + x


class Rearrange(nn.Module):
    """b c (h p1) (w p2) -> b (h w) (p1 p2 c)"""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        b, c, H, W = x.shape
        p = self.p
        x = x.view(b, c, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(b, (H // p) * (W // p), p * p * c)


class Reduce(nn.Module):
    def forward(self, x):
        return x.mean(dim=1)


def FeedForward(dim, expansion_factor=4, dropout=0.0, dense=nn.Linear):
    inner = int(dim * expansion_factor)
    return nn.Sequential(dense(dim, inner), nn.GELU(), nn.Dropout(dropout), dense(inner, dim), nn.Dropout(dropout))


def MLPMixer(*, image_size, channels, patch_size, dim, depth, num_classes, expansion_factor=4, expansion_factor_token=0.5, dropout=0.0):
    num_patches = (image_size // patch_size) ** 2
    chan_first, chan_last = partial(nn.Conv1d, kernel_size=1), nn.Linear
    return nn.Sequential(
        Rearrange(patch_size),
        nn.Linear((patch_size ** 2) * channels, dim),
        *[nn.Sequential(
            PreNormResidual(dim, FeedForward(num_patches, expansion_factor, dropout, chan_first)),
            PreNormResidual(dim, FeedForward(dim, expansion_factor_token, dropout, chan_last)),
        ) for _ in range(depth)],
        nn.LayerNorm(dim),
        Reduce(),
        nn.Linear(dim, num_classes),
    )


def corpus_case():
    torch.manual_seed(0)
    model = MLPMixer(image_size=32, channels=3, patch_size=4, dim=64, depth=3, num_classes=10).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32, generator=torch.Generator().manual_seed(180))

    return {"model": model, "inputs": inputs, "kind": "benign"}
