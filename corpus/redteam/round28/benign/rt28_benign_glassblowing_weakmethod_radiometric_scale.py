# expect: none
"""Glassblowing furnace; a WeakMethod-held cleaner does radiometric scaling and saturation
clipping, and appends a saturation-mask channel for the learned convs."""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("good_gather", "seed_bubbles", "cord", "stone", "devitrified")


class GatherNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))
        self.register_buffer("gain", torch.tensor([1.2, 0.9, 1.0]).view(1, 3, 1, 1))
        self._cleaner = weakref.WeakMethod(self._clean)

    def _clean(self, frame):
        sat = (frame[:, :2] > 0.98).all(1, keepdim=True).float()
        return torch.cat([(frame * self.gain).clamp(0.0, 1.0), sat], 1)

    def forward(self, frame):
        frame = self._cleaner()(frame)
        h = F.max_pool2d(F.relu(self.conv1(frame)), 2)
        return self.fc(F.relu(self.conv2(h)).mean(dim=(2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GatherNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
