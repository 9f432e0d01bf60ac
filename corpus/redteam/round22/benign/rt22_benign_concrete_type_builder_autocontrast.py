# expect: none
"""Concrete crack classification; the exposure module is built with `type(...)`.

It rescales 8-bit frames to [0, 1], applies per-image auto-contrast and a gamma curve, and hands
the result to the CNN.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("intact", "hairline", "transverse", "longitudinal", "map_cracking", "spalling")


def _exposure_forward(self, x, eps=1e-6):
    eight_bit = x.amax(dim=(1, 2, 3), keepdim=True) > 1.0
    x = torch.where(eight_bit, x / 255.0, x)
    lo = x.amin(dim=(2, 3), keepdim=True)
    hi = x.amax(dim=(2, 3), keepdim=True)
    x = (x - lo) / (hi - lo + eps)
    return x.clamp(0, 1) ** self.gamma


ExposurePrep = type("ExposurePrep", (nn.Module,), {"forward": _exposure_forward, "gamma": 1 / 2.2})


class CrackNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32):
        super().__init__()
        chans = (3, width, 2 * width, 4 * width)
        self.stages = nn.Sequential(*[nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b),
                                                    nn.ReLU(), nn.MaxPool2d(2))
                                      for a, b in zip(chans[:-1], chans[1:])])
        self.head = nn.Linear(chans[-1], n_classes)
        self.register_buffer("phase", torch.tensor(math.pi / 4))

    def forward(self, x):
        return self.head(F.adaptive_avg_pool2d(self.stages(x), 1).flatten(1))


def _inputs(n):
    x = (0.45 + 0.2 * torch.rand(n, 1, 1, 1) + 0.08 * torch.randn(n, 3, 64, 64)).clamp(0, 1)
    x[: n // 2] = torch.round(x[: n // 2] * 255)
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": nn.Sequential(ExposurePrep(), CrackNet()).eval(), "inputs": _inputs, "kind": "benign"}
