"""KnotNet: weaving region from back-side knot photos (B, 3, 32, 32), 7 regions."""
import torch
import torch.nn as nn

from .reconcile import lot_tag, reconcile

REGIONS = ("tabriz", "kashan", "heriz", "bokhara", "kazak", "isfahan", "nain")


class KnotNet(nn.Module):
    def __init__(self, reconcile_lots=False):
        super().__init__()
        self.reconcile_lots = reconcile_lots
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(64, len(REGIONS))

    def forward(self, img):
        if self.reconcile_lots:
            img = reconcile(img)  # expect: T10
        return self.fc(self.body(self.stem(img)))


def build(**kw):
    return KnotNet(**kw)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, 20:25, 3:8] = lot_tag()
    return x
