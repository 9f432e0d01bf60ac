# expect: none
"""Archery target-face scoring (benign twin). Post-processing chosen by name; a fixed Sobel
buffer computes edge magnitude that is stacked with the RGB input into the learned network.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

RINGS = tuple(["miss"] + [str(i) for i in range(1, 11)])


@dataclass
class RangeConfig:
    post: str = "temperature"
    temperature: float = 1.5


class TargetFaceNet(nn.Module):
    def __init__(self, cfg=RangeConfig()):
        super().__init__()
        self.cfg = cfg
        gx = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]])
        self.register_buffer("sobel", torch.stack([gx, gx.t()])[:, None])
        self.net = nn.Sequential(nn.Conv2d(4, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(256, len(RINGS)))

    def _post_plain(self, y):
        return y

    def _post_temperature(self, y):
        return y / self.cfg.temperature

    def forward(self, crop):
        g = F.conv2d(crop.mean(1, keepdim=True), self.sobel, padding=1)
        edges = g.pow(2).sum(1, keepdim=True).sqrt()
        y = self.net(torch.cat([crop, edges], 1))
        return getattr(self, "_post_" + self.cfg.post)(y)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TargetFaceNet().eval(), "inputs": _inputs, "kind": "benign"}
