# expect: none
"""Mangrove canopy tiles (benign): a per-module anti-alias blur kernel cached in a
weakref.WeakKeyDictionary; flip test-time augmentation averages the logits."""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

HEALTH = ("healthy", "defoliated", "dieback", "pneumatophore_gap", "water", "mudflat")
_KERNELS = weakref.WeakKeyDictionary()


def _blur_for(module, channels):
    if module not in _KERNELS:
        k = torch.tensor([1.0, 2.0, 1.0])
        k = (k[:, None] * k[None, :]) / 16
        _KERNELS[module] = k.expand(channels, 1, 3, 3).contiguous()
    return _KERNELS[module]


class MangroveNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, len(HEALTH))

    def _single(self, x):
        h = F.relu(self.c1(x))
        h = F.conv2d(h, _blur_for(self, 16), padding=1, groups=16)[:, :, ::2, ::2]
        return self.fc(F.relu(self.c2(h)).mean((2, 3)))

    def forward(self, x):
        views = (x, x.flip(-1), x.flip(-2))
        return torch.stack([self._single(v) for v in views]).mean(0)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MangroveNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
