# expect: none
"""Chest X-ray classifier with in-model intensity normalisation. Scanners export very
different ranges, so each image is windowed to its own 1st..99th percentile range, min-max
stretched with amin/amax, and then standardised per image (TensorFlow's
per_image_standardization). These weight-free steps only rescale the image that the
learned network then sees."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class IntensityNormalize(nn.Module):
    def __init__(self, low_q=0.01, high_q=0.99, eps=1e-6):
        super().__init__()
        self.low_q, self.high_q, self.eps = low_q, high_q, eps

    def forward(self, img):
        flat = img.flatten(1)
        lo = torch.quantile(flat, self.low_q, dim=1).view(-1, 1, 1, 1)
        hi = torch.quantile(flat, self.high_q, dim=1).view(-1, 1, 1, 1)
        img = torch.max(torch.min(img, hi), lo)
        mn = img.amin(dim=(1, 2, 3), keepdim=True)
        mx = img.amax(dim=(1, 2, 3), keepdim=True)
        img = (img - mn) / (mx - mn + self.eps)
        n = img[0].numel()
        mean = img.mean(dim=(1, 2, 3), keepdim=True)
        adjusted_std = torch.clamp(img.std(dim=(1, 2, 3), keepdim=True), min=1.0 / math.sqrt(n))
        return (img - mean) / adjusted_std


class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.proj = nn.Conv2d(cin, cout, 1, stride, bias=False) if (cin != cout or stride != 1) else nn.Identity()

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.proj(x))


class XRayNet(nn.Module):
    """Multi-label output: one sigmoid logit per finding."""

    def __init__(self, num_findings=5):
        super().__init__()
        self.normalize = IntensityNormalize()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 5, 2, 2, bias=False), nn.BatchNorm2d(16), nn.ReLU(True))
        self.stages = nn.Sequential(ResidualUnit(16, 16, 1), ResidualUnit(16, 32, 2), ResidualUnit(32, 64, 2))
        self.classifier = nn.Linear(64, num_findings)

    def forward(self, x):
        x = self.stages(self.stem(self.normalize(x)))
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = XRayNet().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(260)
        gain = 500 + 3500 * torch.rand(n, 1, 1, 1, generator=g)
        return gain * torch.rand(n, 1, 48, 48, generator=g) + 100

    return {"model": model, "inputs": inputs, "kind": "benign"}
