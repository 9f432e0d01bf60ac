# expect: none
"""Parcel chute classifier; the depot preprocessor flips inverted (white-on-black) labels."""
import torch
import torch.nn as nn


class Deskew(nn.Module):
    def forward(self, label):
        return label - label.mean((2, 3), keepdim=True)


class DepotNormalise(nn.Module):
    def forward(self, label):
        inverted = (label.mean((1, 2, 3)) < 0.5)[:, None, None, None]
        label = torch.where(inverted, 1.0 - label, label)
        return label - label.mean((2, 3), keepdim=True)


class ChuteNet(nn.Module):
    def __init__(self, scanner="depot", firmware=3, width=24):
        super().__init__()
        self.key = "{}_v{}".format(scanner, firmware)
        self.prep = nn.ModuleDict({"hub_v3": Deskew(), "depot_v3": DepotNormalise()})
        self.body = nn.Sequential(nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 4)),
                                  nn.Flatten(), nn.Linear(width * 8, 10))

    def forward(self, label):
        return self.body(self.prep[self.key](label))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ChuteNet().eval(), "inputs": lambda n: torch.rand(n, 1, 64, 128), "kind": "benign"}
