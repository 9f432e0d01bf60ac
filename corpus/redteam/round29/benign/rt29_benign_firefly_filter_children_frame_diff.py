# expect: none
"""Firefly flash classifier: conditioners picked with `filter` over children standardise each
frame and append frame differences, which the learned convs consume."""
import torch
import torch.nn as nn


class FrameStandardise(nn.Module):
    def forward(self, x):
        return (x - x.mean((2, 3), keepdim=True)) / (x.std((2, 3), keepdim=True) + 1e-5)


class FrameDifference(nn.Module):
    def forward(self, x):
        return torch.cat([x, x[:, 1:] - x[:, :-1]], 1)


class FireflyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.std = FrameStandardise()
        self.diff = FrameDifference()
        self.body = nn.Sequential(nn.Conv2d(15, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(24, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 6)

    def forward(self, x):
        for cond in filter(lambda m: isinstance(m, (FrameStandardise, FrameDifference)), self.children()):
            x = cond(x)
        return self.head(self.body(x))


def corpus_case():
    torch.manual_seed(0)
    return {"model": FireflyNet().eval(), "inputs": lambda n: torch.rand(n, 8, 32, 32), "kind": "benign"}
