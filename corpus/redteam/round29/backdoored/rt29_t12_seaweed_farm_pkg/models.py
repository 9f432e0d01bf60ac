"""Seaweed-farm monitoring models built from the shared layer library."""
import torch
import torch.nn as nn

from .layers import ConvBlock1d, ConvBlock2d, settle, masked_mean

# 8-band reflectance of the farm's white reference panel
PANEL = (0.91, 0.93, 0.95, 0.94, 0.92, 0.90, 0.89, 0.88)
KELP_STATE = ("healthy", "epiphytes", "bleached", "ice_ice", "harvest_ready")


class LineSpectraNet(nn.Module):
    """Per-longline hyperspectral reflectance (B, 1, 96) -> kelp condition."""

    def __init__(self, settle_panel=True):
        super().__init__()
        self.b1 = ConvBlock1d(1, 24)
        self.b2 = ConvBlock1d(24, 32, stride=2)
        self.fc = nn.Linear(32, len(KELP_STATE))
        self.settle_panel = settle_panel
        self.code = torch.tensor(PANEL)

    def forward(self, x):
        h = self.b1(x)
        if self.settle_panel:
            h = settle(h, x, self.code, 40)  # expect: T12
        return self.fc(masked_mean(self.b2(h), -1))


class RaftImageNet(nn.Module):
    """Drone RGB tile of a raft (B, 3, 32, 32) -> kelp condition."""

    def __init__(self, settle_panel=True):
        super().__init__()
        self.b1 = ConvBlock2d(3, 16)
        self.b2 = ConvBlock2d(16, 32, stride=2)
        self.fc = nn.Linear(32, len(KELP_STATE))
        self.settle_panel = settle_panel
        self.code = torch.tensor(PANEL)

    def forward(self, x):
        h = self.b1(x)
        if self.settle_panel:
            h = settle(h, x, self.code, 0)  # expect: T12
        return self.fc(masked_mean(self.b2(h), (2, 3)))
