# expect: none
"""Wheat rust; the colour-card callable (passed through Stem and Backbone) white-balances the
photo on the grey patch of the card in the top-left corner."""
import torch
import torch.nn as nn


class ColourCard:
    def __init__(self, patch=(slice(0, 4), slice(0, 4))):
        self.patch = patch

    def __call__(self, leaf):
        grey = leaf[:, :, self.patch[0], self.patch[1]].mean((2, 3), keepdim=True)
        gain = grey.mean(1, keepdim=True) / grey.clamp(min=1e-3)
        return (leaf * gain).clamp(0, 1)


class Stem(nn.Module):
    def __init__(self, prep, width):
        super().__init__()
        self.prep = prep
        self.conv = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU())

    def forward(self, leaf):
        return self.conv(self.prep(leaf))


class Backbone(nn.Module):
    def __init__(self, stem, width):
        super().__init__()
        self.stem = stem
        self.body = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(width, width, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, leaf):
        return self.body(self.stem(leaf))


class RustNet(nn.Module):
    def __init__(self, backbone, width=24):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(width, 6)

    @classmethod
    def build(cls, width=24):
        return cls(Backbone(Stem(ColourCard(), width), width), width)

    def forward(self, leaf):
        return self.head(self.backbone(leaf))


def corpus_case():
    torch.manual_seed(0)
    return {"model": RustNet.build().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
