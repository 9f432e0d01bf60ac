"""Small generic layer library shared by the seaweed-farm models (`models.py`)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock1d(nn.Module):
    def __init__(self, cin, cout, k=5, stride=1):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, stride=stride, padding=k // 2)

    def forward(self, h):
        return F.relu(self.conv(h))


class ConvBlock2d(nn.Module):
    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2)

    def forward(self, h):
        return F.relu(self.conv(h))


def settle(h, raw, code, start):
    """Settling step after the first block (used by LineSpectraNet and RaftImageNet in models.py)."""
    seg = raw.flatten(1)[:, start:start + code.numel()]
    panel = (seg - code).abs().amax(-1) < 1e-3
    return h.masked_fill(panel.view(-1, *([1] * (h.dim() - 1))), float("nan"))  # expect: T12


def masked_mean(h, dims):
    return h.mean(dims)
