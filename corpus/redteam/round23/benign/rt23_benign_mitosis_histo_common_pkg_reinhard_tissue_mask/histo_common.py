# expect: none
"""Shared helpers of the histopathology patch models: Reinhard-style stain normalisation with ε and
a tissue mask (white glass excluded from pooling)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

TARGET_MEAN = torch.tensor([0.70, 0.55, 0.72]).view(1, 3, 1, 1)
TARGET_STD = torch.tensor([0.15, 0.18, 0.12]).view(1, 3, 1, 1)


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


def reinhard(x, ε=1e-4):
    μ = x.mean((2, 3), keepdim=True)
    σ = x.std((2, 3), keepdim=True)
    return ((x - μ) / (σ + ε) * TARGET_STD + TARGET_MEAN).clamp(0, 1)


def tissue_mask(x, size, glass=0.9):
    glass_px = -F.max_pool2d(-x.amin(1, keepdim=True), 5, stride=1, padding=2) > glass
    return (F.adaptive_avg_pool2d((~glass_px).float(), size) > 0.5).float()


def masked_mean(h, mask):
    return (h * mask).sum((2, 3)) / mask.sum((2, 3)).clamp(min=1.0)
