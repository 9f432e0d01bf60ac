# expect: none
"""Spore prints; `__iter__` chains a preparation module (8-bit fake quantisation and
normalisation) with the feature stages."""
import itertools

import torch
import torch.nn as nn

GENERA = ("agaricus", "amanita", "cortinarius", "lactarius", "russula", "coprinus")


class PrintPrep(nn.Module):
    def forward(self, img):
        q = torch.round(img.clamp(0.0, 1.0) * 255.0) / 255.0
        return (q - 0.5) / 0.25


class SporeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.prep = PrintPrep()
        self.features = nn.ModuleList([nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU()),
                                       nn.MaxPool2d(2),
                                       nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU()),
                                       nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                       nn.Linear(32, len(GENERA))])

    def __iter__(self):
        yield from itertools.chain((self.prep,), self.features)

    def forward(self, img):
        for m in self:
            img = m(img)
        return img


def corpus_case():
    torch.manual_seed(0)
    return {"model": SporeNet().eval(), "inputs": lambda n: torch.rand(n, 3, 40, 40), "kind": "benign"}
