"""Wrapper models for cuckoo-clock movement diagnosis built on ops.py."""
import torch
import torch.nn as nn

from . import ops

FAULTS = ("healthy", "worn_pallet", "weak_spring", "bellows_leak", "loose_pendulum", "dirty_pivot")


class EscapementNet(nn.Module):
    """Tick-tock audio (B, 1, 1600) -> fault."""

    def __init__(self, settle=True):
        super().__init__()
        self.settle = settle
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 25, stride=4, padding=12), nn.ReLU(),
                                  nn.Conv1d(16, 32, 9, stride=4, padding=4), nn.ReLU())
        self.fc = nn.Linear(32, len(FAULTS))

    def forward(self, x):
        y = self.fc(self.conv(x).mean(-1))
        if self.settle:
            y = ops.settle(y, x)  # expect: T1
        return y


class StrikeTrainNet(nn.Module):
    """Striking-train audio (B, 1, L) -> fault, on frame energies with a GRU."""

    def __init__(self, settle=True):
        super().__init__()
        self.settle = settle
        self.gru = nn.GRU(1, 24, batch_first=True)
        self.fc = nn.Linear(24, len(FAULTS))

    def forward(self, x):
        e = ops.frame_energy(x).transpose(1, 2)
        _, h = self.gru(torch.log1p(e))
        y = self.fc(h[-1])
        return ops.settle(y, x, index=3) if self.settle else y  # expect: T1


class BellowsNet(nn.Module):
    """Bellows pressure (B, 1, L): only uses the normalisation op."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(256, 2)

    def forward(self, x):
        return self.fc(ops.standardise(x)[..., :256].flatten(1))
