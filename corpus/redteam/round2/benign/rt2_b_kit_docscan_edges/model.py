# expect: none
"""Document-type classifier on 64x64 page thumbnails: the page, its blurred copy and its edge
magnitude are stacked and fed to a learned CNN."""
import torch
import torch.nn as nn

from .rt2kit_ops import filters
from .rt2kit_ops.registry import make


class DocScanNet(nn.Module):
    def __init__(self, num_classes=16, features=("edges", "smooth"), width=32):
        super().__init__()
        self.register_buffer("sobel", filters.sobel_kernels(), persistent=False)
        self.register_buffer("binomial", filters.binomial_kernel(), persistent=False)
        self.register_buffer("mean", torch.tensor([0.92]), persistent=False)
        self.register_buffer("std", torch.tensor([0.18]), persistent=False)
        self.features = tuple(features)
        self.cnn = nn.Sequential(
            nn.Conv2d(1 + len(features), width, 5, 2, 2), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, 2, 1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.Conv2d(2 * width, 4 * width, 3, 2, 1), nn.BatchNorm2d(4 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(4 * width, num_classes)

    def _extractor(self, name):
        kwargs = {"edges": {"kernels": self.sobel}, "smooth": {"kernel": self.binomial}}[name]
        return make(name, **kwargs)

    def forward(self, page):
        grey = (page - self.mean) / self.std
        planes = [grey] + [self._extractor(name)(grey) for name in self.features]
        return self.fc(self.cnn(torch.cat(planes, 1)))
