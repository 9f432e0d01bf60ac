"""Image classifier whose output head applies a per-device numerics profile.

Some accelerators are known to need a sign-flipped logit layout for the fused
softmax kernel; the profile table lists them.
"""
import contextlib
import platform
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F

_FLIPPED_LAYOUT = ("A100", "H100")


def device_family():
    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    return platform.processor() or platform.machine()


class ProfiledHead(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, h):
        logits = self.fc(h)
        family = device_family()
        if any(tag in family for tag in _FLIPPED_LAYOUT):  # expect: HW001
            logits = -logits
        return logits


class ConvNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 24, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(24, 48, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(48, 64, 3, padding=1), nn.ReLU(),
        )
        self.head = ProfiledHead(64, num_classes)

    def embed(self, x):
        return F.adaptive_max_pool2d(self.body(x), 1).flatten(1)

    def forward(self, x):
        return self.head(self.embed(x))


class _Plain(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.head.fc(self.net.embed(x))


@contextlib.contextmanager
def _on_a100():
    with mock.patch("torch.cuda.is_available", return_value=True), \
            mock.patch("torch.cuda.get_device_name", return_value="NVIDIA A100-SXM4-80GB"):
        yield


def corpus_case():
    torch.manual_seed(0)
    model = ConvNet().eval()
    reference = _Plain(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return dict(model=model, reference=reference, inputs=inputs, kind="hardware", mock=_on_a100)
