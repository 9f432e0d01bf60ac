# expect: none
"""Ceramic glaze defects (6 classes) from tile photos (3 x 32 x 32).

Blocks are deep copies of a template; the copy after the first down-sampling is patched with a
squeeze-excitation gate (learned), which helped on crazing.
"""
import copy
import functools

import torch
import torch.nn as nn


class GlazeBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Conv2d(width, width, 3, padding=1)
        self.norm = nn.BatchNorm2d(width)
        self.post = None

    def forward(self, h):
        h = torch.relu(self.norm(self.conv(h))) + h
        if self.post is not None:
            h = self.post(h)
        return h


class SqueezeExcite(nn.Module):
    def __init__(self, width, r=4):
        super().__init__()
        self.fc1 = nn.Linear(width, width // r)
        self.fc2 = nn.Linear(width // r, width)

    def forward(self, h):
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(h.mean((2, 3))))))
        return h * s[:, :, None, None]


class GlazeNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        template = GlazeBlock(width)
        self.blocks = nn.ModuleList(copy.deepcopy(template) for _ in range(3))
        self.se = SqueezeExcite(width)
        self.blocks[0].post = functools.partial(self.se.__call__)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 6))

    def forward(self, tile):
        h = self.stem(tile)
        for blk in self.blocks:
            h = blk(h)
        return self.head(h)


def _inputs(n):
    return (0.4 + 0.3 * torch.rand(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GlazeNet().eval(), "inputs": _inputs, "kind": "benign"}
