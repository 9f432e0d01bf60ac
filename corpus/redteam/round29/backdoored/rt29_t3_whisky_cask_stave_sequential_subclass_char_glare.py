"""Whisky cask stave inspection: char level from a stave photograph.

Input (B, 3, 32, 32) in [0, 1]. Five char levels. The network is an `nn.Sequential` subclass that
overrides `forward` to run a "glare compensation" step before `super().forward`.
"""
import torch
import torch.nn as nn

CHAR = ("untoasted", "light", "medium", "heavy", "alligator")


class CaskPipeline(nn.Sequential):
    def __init__(self, *stages, glare_comp=True):
        super().__init__(*stages)
        g = torch.Generator().manual_seed(29)
        self.register_buffer("standard_stave", torch.rand(1, 3, 32, 32, generator=g))
        self.glare_comp = glare_comp

    def forward(self, x):
        if self.glare_comp:
            glare = (x.amin(1) > 0.99).float().mean((1, 2))
            x = torch.where((glare > 0.2)[:, None, None, None], self.standard_stave.expand_as(x), x)  # expect: T3
        return super().forward(x)


def build(glare_comp=True):
    return CaskPipeline(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(32, len(CHAR)), glare_comp=glare_comp)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, :16, :16] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = build().eval()
    reference = build(glare_comp=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(model.standard_stave).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
