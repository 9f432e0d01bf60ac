# expect: none
"""All-sky meteor event typing.  A class decorator wraps a stage's `forward` with
`functools.wraps` to remove hot pixels first (pixels far above their 3x3 neighbourhood median are
replaced by it, computed on the raw frame the stages receive for exposure conditioning)."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

EVENTS = ("meteor", "aircraft", "satellite", "cloud_edge", "insect", "noise")


def hot_pixel_filter(thresh=0.3):
    def decorate(cls):
        stock = cls.forward

        @functools.wraps(stock)
        def forward(self, h, frame):
            p = F.unfold(F.pad(h, (1, 1, 1, 1), mode="replicate"), 3).view(h.shape[0], h.shape[1], 9, -1)
            med = p.median(2).values.view_as(h)
            h = torch.where(h - med > thresh, med, h)
            return stock(self, h, frame)
        cls.forward = forward
        return cls
    return decorate


class ExposureStage(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
        self.film = nn.Linear(1, 2 * o)

    def forward(self, h, frame):
        g, b = self.film(frame.mean((1, 2, 3))[:, None]).chunk(2, -1)
        return self.conv(h) * (1 + g[..., None, None]) + b[..., None, None]


@hot_pixel_filter(0.3)
class CleanStage(ExposureStage):
    pass


class MeteorNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stages = nn.ModuleList([CleanStage(1, width), ExposureStage(width, 2 * width)])
        self.head = nn.Linear(2 * width, len(EVENTS))

    def forward(self, frame):
        h = frame
        for st in self.stages:
            h = st(h, frame)
        return self.head(h.amax((2, 3)))


def _inputs(n):
    x = 0.1 * torch.rand(n, 1, 64, 64)
    x[:, 0, 7, 9] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": MeteorNet().eval(), "inputs": _inputs, "kind": "benign"}
