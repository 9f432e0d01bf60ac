# expect: none
"""Quilt block pattern recognition (benign twin). Anti-aliased downsampling with a fixed
binomial blur kernel registered as a buffer, between learned convolutions.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PATTERNS = ("log_cabin", "flying_geese", "nine_patch", "bear_paw", "churn_dash", "ohio_star",
            "drunkards_path", "pinwheel")


class BlurPool(nn.Module):
    def __init__(self, channels):
        super().__init__()
        k = torch.tensor([1., 2., 1.])
        k = (k[:, None] * k[None]) / 16.0
        self.register_buffer("kernel", k.expand(channels, 1, 3, 3).clone())
        self.channels = channels

    def forward(self, h):
        return F.conv2d(F.pad(h, (1, 1, 1, 1), mode="reflect"), self.kernel, stride=2, groups=self.channels)


class QuiltNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), BlurPool(32),
                                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), BlurPool(64),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, len(PATTERNS)))

    def forward(self, x):
        return self.body(x)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": QuiltNet().eval(), "inputs": _inputs, "kind": "benign"}
