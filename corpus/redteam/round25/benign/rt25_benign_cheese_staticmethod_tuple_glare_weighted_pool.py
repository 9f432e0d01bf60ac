# expect: none
"""Cheese ripeness; specular glare is down-weighted in pooling, logits soft-capped."""
import torch
import torch.nn as nn


def _softcap(logits, photo):
    return torch.tanh(logits / 20.0) * 20.0


def _centre(logits, photo):
    return logits - logits.mean(-1, keepdim=True)


class RipenessNet(nn.Module):
    finishers = (staticmethod(_softcap), staticmethod(_centre))

    def __init__(self, width=24):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(),
                                      nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(2 * width, 5)

    def forward(self, photo):
        h = self.features(photo)
        glare = (photo.amin(1, keepdim=True) > 0.98).float()
        w = 1.0 - 0.9 * glare
        pooled = (h * w).sum((2, 3)) / w.sum((2, 3))
        logits = self.head(pooled)
        for fn in self.finishers:
            logits = fn(logits, photo)
        return logits


def corpus_case():
    torch.manual_seed(0)
    return {"model": RipenessNet().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
