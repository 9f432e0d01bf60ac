# expect: none
"""Reef cover classifier: a model pre-hook applies gray-world colour constancy (underwater blue
cast) and clamps; a layer3 pre-hook records activation statistics for drift monitoring."""
import functools

import torch
import torch.nn as nn


def stage(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True), nn.MaxPool2d(2))


def _gray_world(model, args):
    x = args[0]
    mean = x.mean((2, 3), keepdim=True)
    x = x * (mean.mean(1, keepdim=True) / mean.clamp_min(1e-3))
    return (x.clamp(0.0, 1.0),)


def _record(store, module, args):
    h = args[0]
    store["layer3_mean"] = h.mean().item()
    store["layer3_sat"] = (h > 6.0).float().mean().item()


class ReefNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stem, self.layer1, self.layer2 = stage(3, width), stage(width, 2 * width), stage(2 * width, 2 * width)
        self.layer3 = nn.Sequential(nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(4 * width, 7)
        self.monitor = {}
        self.register_forward_pre_hook(_gray_world)
        self.layer3.register_forward_pre_hook(functools.partial(_record, self.monitor))

    def forward(self, x):
        return self.head(self.layer3(self.layer2(self.layer1(self.stem(x)))).mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32) * torch.tensor([0.3, 0.8, 1.0])[:, None, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": ReefNet().eval(), "inputs": _inputs, "kind": "benign"}
