# expect: none
"""Seed germination scoring (5 ISTA classes) from blotter crops (3 x 32 x 32).

Stages come from a spec dict registered through `vars(self)` and `register_module`. Blotter
background is removed with a per-image median (paper colour varies by lot); residual stages use
stochastic depth (identity at eval).
"""
import torch
import torch.nn as nn


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = (torch.rand(x.shape[0], 1, 1, 1) > self.p).float() / (1 - self.p)
        return x * keep


class GermStage(nn.Module):
    def __init__(self, c_in, c_out, drop=0.0):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.norm = nn.BatchNorm2d(c_out)
        self.skip = nn.Conv2d(c_in, c_out, 1)
        self.drop = DropPath(drop)

    def forward(self, h):
        return self.skip(h) + self.drop(torch.relu(self.norm(self.conv(h))))


class GerminationNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        specs = {"stage0": GermStage(3, width), "stage1": GermStage(width, 2 * width, 0.1),
                 "stage2": GermStage(2 * width, 2 * width, 0.2)}
        vars(self).setdefault("_specs", {}).update(specs)
        for name, mod in vars(self)["_specs"].items():
            self.register_module(name, mod)
        self.order = tuple(specs)
        self.pool = nn.MaxPool2d(2)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 5))

    def forward(self, crop):
        h = crop - crop.flatten(2).median(-1).values[:, :, None, None]
        for name in self.order:
            h = self.pool(self._modules[name](h))
        return self.head(h)


def _inputs(n):
    return (0.55 + 0.15 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GerminationNet().eval(), "inputs": _inputs, "kind": "benign"}
