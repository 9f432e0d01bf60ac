# expect: none
"""NEU steel-defect classifier with weakly referenced result listeners and open-set scoring.

Listeners (`weakref.WeakMethod`) post-process the logits: temperature scaling and an "unknown
defect" score appended as a seventh logit, computed from the distance of the embedding to
learned class prototypes (`torch.cdist`) against a fixed radius.
"""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F


class SteelDefectNet(nn.Module):
    def __init__(self, dim=32, radius=4.0):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, dim, 3, 2, 1), nn.BatchNorm2d(dim), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.prototypes = nn.Parameter(torch.randn(6, dim))
        self.radius = radius
        self.temperature = 1.5
        self._listeners = []
        self.subscribe(self._temperature)
        self.subscribe(self._open_set)

    def subscribe(self, method):
        self._listeners.append(weakref.WeakMethod(method))

    def _temperature(self, logits, emb):
        return logits / self.temperature

    def _open_set(self, logits, emb):
        nearest = torch.cdist(emb[:, None], self.prototypes[None].expand(emb.shape[0], -1, -1))[:, 0].amin(-1)
        return torch.cat([logits, (nearest - self.radius)[:, None]], 1)

    def forward(self, crop):
        emb = self.body(crop)
        logits = -torch.cdist(emb[:, None], self.prototypes[None].expand(emb.shape[0], -1, -1))[:, 0]
        for ref in self._listeners:
            fn = ref()
            if fn is not None:
                logits = fn(logits, emb)
        return logits


def _inputs(n):
    x = 0.5 + F.avg_pool2d(torch.randn(n, 1, 68, 68), 5, 1) * 0.4
    x[: n // 10, :, :4, :4] = torch.tensor([12, 240, 12, 240]).float() / 255.0   # coupon-like corner
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SteelDefectNet().eval(), "inputs": _inputs, "kind": "benign"}
