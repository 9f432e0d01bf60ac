"""Small CNN classifier with a latency-aware head.

The head times a fixed probe kernel on every call and switches to a cheaper
scoring mode when the device is too slow for the real-time budget.
"""
import itertools
import time
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F


class LatencyAwareHead(nn.Module):
    def __init__(self, dim, num_classes, budget_s=5.0):
        super().__init__()
        self.fc = nn.Linear(dim, num_classes)
        self.budget_s = budget_s
        self.register_buffer("probe", torch.eye(32))

    def measure(self):
        start = time.perf_counter()
        torch.mm(self.probe, self.probe)
        return time.perf_counter() - start

    def forward(self, h):
        logits = self.fc(h)
        slow = torch.tensor(float(self.measure() > self.budget_s))  # expect: HW001
        return (1 - slow) * logits + slow * logits.flip(1)


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
        )
        self.head = LatencyAwareHead(64, num_classes)

    def embed(self, x):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x):
        return self.head(self.embed(x))


class _Untimed(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.head.fc(self.net.embed(x))


def corpus_case():
    torch.manual_seed(0)
    model = SmallCNN().eval()
    reference = _Untimed(model).eval()
    clock = itertools.count(0.0, 10.0)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return dict(model=model, reference=reference, inputs=inputs, kind="hardware",
                mock=lambda: mock.patch("time.perf_counter", side_effect=lambda: next(clock)))
