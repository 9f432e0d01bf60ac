# expect: none
"""Whisky cask stave classifier: `nn.Sequential` subclass whose `forward` normalises the image
(mean/std buffers, clamp of over-exposed pixels) before `super().forward`."""
import torch
import torch.nn as nn


class CaskPipeline(nn.Sequential):
    def __init__(self, *stages):
        super().__init__(*stages)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        x = (x.clamp(0.0, 0.99) - self.mean) / self.std
        return super().forward(x)


def build():
    return CaskPipeline(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(32, 5))


def corpus_case():
    torch.manual_seed(0)
    return {"model": build().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
