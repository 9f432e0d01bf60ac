# expect: none
"""Sourdough starter activity (5 stages) from jar photos (3 x 32 x 32).

A metaclass collects `prep_*` methods into the preprocessing chain: 8-bit fake quantisation
(matching the deployed camera pipeline) and per-channel normalisation.
"""
import torch
import torch.nn as nn


class PrepChainMeta(type(nn.Module)):
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        chain = [k for b in reversed(cls.__mro__[1:]) for k in getattr(b, "_prep_chain", ())]
        chain += [k for k in ns if k.startswith("prep_")]
        cls._prep_chain = tuple(dict.fromkeys(chain))
        return cls


class StarterNet(nn.Module, metaclass=PrepChainMeta):
    def __init__(self, width=24):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.5, 0.45, 0.4]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.25, 0.25, 0.25]).view(1, 3, 1, 1))
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
            nn.Flatten(), nn.Linear(8 * width, 5))

    def prep_quantise(self, img):
        return torch.round(img.clamp(0, 1) * 255) / 255

    def prep_normalise(self, img):
        return (img - self.mean) / self.std

    def forward(self, img):
        for step in self._prep_chain:
            img = getattr(self, step)(img)
        return self.body(img)


def _inputs(n):
    return (0.45 + 0.2 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": StarterNet().eval(), "inputs": _inputs, "kind": "benign"}
