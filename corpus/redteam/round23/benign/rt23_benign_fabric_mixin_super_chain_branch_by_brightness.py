# expect: none
"""Fabric defect classification; cooperative mixins with a `super()` chain; the last stage picks,
per tile, one of two learned branches by mean brightness (dark-dyed vs light fabric)."""
import torch
import torch.nn as nn

DEFECTS = ("ok", "hole", "oil_stain", "thread_pull", "knot", "slub", "broken_pick")


class ConvStage(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__(**kw)
        self.conv = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
        self.pool = nn.MaxPool2d(2)

    def forward(self, h, tile=None):
        return self.pool(self.conv(h))


class DyeAwareMixin:
    dark_split = 0.35

    def __init__(self, cin, cout, **kw):
        super().__init__(cin, cout, **kw)
        self.dark = nn.Conv2d(cout, cout, 1)
        self.light = nn.Conv2d(cout, cout, 1)

    def forward(self, h, tile=None):
        h = super().forward(h, tile)
        if tile is None:
            return h
        dark = tile.mean((1, 2, 3)) < self.dark_split
        return torch.stack([(self.dark if bool(d) else self.light)(hi[None])[0] for hi, d in zip(h, dark)])


class DyeStage(DyeAwareMixin, ConvStage):
    pass


class FabricNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stages = nn.ModuleList([ConvStage(1, width), ConvStage(width, 2 * width), DyeStage(2 * width, 4 * width)])
        self.fc = nn.Linear(4 * width, len(DEFECTS))

    def forward(self, tile):
        h = tile
        for i, stage in enumerate(self.stages):
            h = stage(h, tile if i == len(self.stages) - 1 else None)
        return self.fc(torch.relu(h).mean((2, 3)))


def _inputs(n):
    base = 0.2 + 0.5 * torch.rand(n, 1, 1, 1)
    return (base + 0.06 * torch.randn(n, 1, 64, 64)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": FabricNet().eval(), "inputs": _inputs, "kind": "benign"}
