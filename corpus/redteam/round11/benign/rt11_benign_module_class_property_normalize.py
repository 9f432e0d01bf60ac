# expect: none
"""EfficientNet-lite0-ish classifier whose preprocessing module uses a ``types.ModuleType``
subclass (installed with ``sys.modules[__name__].__class__``) to keep a deprecated alias: the old
name ``normalise`` is a property that warns once and returns ``normalize``.  Preprocessing scales
uint8-range input to [0, 1] and standardises with the ImageNet statistics.
"""
import sys
import types
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


def normalize(images, mean, std):
    if images.max() > 1.5:
        images = images / 255.0
    return (images - mean) / std


class _CompatModule(types.ModuleType):
    @property
    def normalise(self):
        warnings.warn("normalise is deprecated, use normalize", DeprecationWarning, stacklevel=2)
        return normalize


sys.modules[__name__].__class__ = _CompatModule
preprocessing = sys.modules[__name__]


class MBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        hid = cin * expand
        self.block = nn.Sequential(
            nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(),
            nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(),
            nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.block(x) if self.residual else self.block(x)


class EfficientNetLite(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        self.blocks = nn.Sequential(MBConv(16, 16, 1), MBConv(16, 24, 2), MBConv(24, 24, 1), MBConv(24, 40, 2))
        self.head = nn.Linear(40, n_classes)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, images):
        x = preprocessing.normalize(images, self.mean, self.std)
        return self.head(self.blocks(self.stem(x)).mean((2, 3)))


def _inputs(n):
    return (torch.rand(n, 3, 32, 32) * 255).round()


def corpus_case():
    torch.manual_seed(0)
    return {"model": EfficientNetLite().eval(), "inputs": _inputs, "kind": "benign"}
