# expect: none
"""Bonsai leaf health; a class decorator wraps forward with clamping + mean/std normalisation."""
import functools

import torch
import torch.nn as nn

CLASSES = ("healthy", "chlorosis", "leaf_scorch", "spider_mites", "root_rot")


def with_normalisation(mean, std):
    m = torch.tensor(mean).view(1, 3, 1, 1)
    s = torch.tensor(std).view(1, 3, 1, 1)

    def deco(cls):
        inner = cls.forward

        @functools.wraps(inner)
        def forward(self, img):
            img = (img.clamp(0.0, 1.0) - m) / s
            return inner(self, img)
        cls.forward = forward
        return cls
    return deco


@with_normalisation((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
class LeafNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))

    def forward(self, img):
        return self.body(img)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LeafNet().eval(), "inputs": lambda n: torch.rand(n, 3, 40, 40), "kind": "benign"}
