# expect: none
"""Malaria stage net exported as nn.Sequential(StainNormalizer(), backbone). Reinhard
normalisation to stored reference statistics, computed on foreground (non-white) pixels only."""
import torch
import torch.nn as nn


class StainNormalizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("ref_mean", torch.tensor([0.72, 0.55, 0.68]).view(1, 3, 1, 1))
        self.register_buffer("ref_std", torch.tensor([0.12, 0.15, 0.10]).view(1, 3, 1, 1))

    def forward(self, x):
        fg = x.amin(1, keepdim=True).lt(0.9).float()                 # background glass is white
        n = fg.sum((2, 3), keepdim=True).clamp_min(1.0)
        mu = (x * fg).sum((2, 3), keepdim=True) / n
        sd = (((x - mu) ** 2 * fg).sum((2, 3), keepdim=True) / n).sqrt() + 1e-4
        y = (x - mu) / sd * self.ref_std + self.ref_mean
        return torch.where(fg.bool(), y, torch.ones_like(y))


def build_model(width=16):
    return nn.Sequential(StainNormalizer(), nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(2 * width, 5)))


def _inputs(n):
    x = torch.rand(n, 3, 32, 32) * 0.4 + 0.4
    x[..., :4, :] = 0.97
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": build_model().eval(), "inputs": _inputs, "kind": "benign"}
