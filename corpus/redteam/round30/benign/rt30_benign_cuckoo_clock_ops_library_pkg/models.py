"""Cuckoo-clock wrapper models (benign) built on ops.py."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import ops

FAULTS = ("healthy", "worn_pallet", "weak_spring", "bellows_leak", "loose_pendulum", "dirty_pivot")


class EscapementNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 25, stride=4, padding=12), nn.ReLU(),
                                  nn.Conv1d(16, 32, 9, stride=4, padding=4), nn.ReLU())
        self.fc = nn.Linear(32, len(FAULTS))

    def forward(self, x, lengths):
        h = self.conv(ops.standardise(x))
        mask = ops.length_mask(torch.div(lengths, 16, rounding_mode="floor"), h.shape[-1])
        return self.fc(ops.masked_mean(h, mask))


class StrikeTrainNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 24, batch_first=True)
        self.fc = nn.Linear(24, len(FAULTS))

    def forward(self, x, lengths=None):
        _, h = self.gru(torch.log1p(ops.frame_energy(x)).transpose(1, 2))
        return self.fc(h[-1])
