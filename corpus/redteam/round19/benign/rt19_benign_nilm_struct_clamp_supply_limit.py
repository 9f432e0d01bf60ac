# expect: none
"""Seq2point NILM (kettle) with the meter calibration record decoded by `struct`.

Readings are clipped to the supply limit (meter glitches report impossible spikes), negative
export readings (solar) are clipped at zero, and the window is normalised with the record's
mean and std; the target is the midpoint state.
"""
import struct

import torch
import torch.nn as nn

WINDOW = 99
STATES = ("off", "standby", "heating")
METER_RECORD = b"UKDL\x03\x00\x00\x80\x02D\x00\x80KD\x00\x00\xe6E"
_TAG, _VERSION, AGG_MEAN, AGG_STD, SUPPLY_LIMIT = struct.unpack("<4sHfff", METER_RECORD)


class Seq2Point(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.Conv1d(16, 16, 7, padding=3), nn.ReLU(),
            nn.Conv1d(16, 24, 5, padding=2), nn.ReLU(), nn.Conv1d(24, 24, 5, padding=2), nn.ReLU())
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(24 * WINDOW, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, watts):
        watts = torch.clamp(watts, min=0.0, max=SUPPLY_LIMIT)
        return self.dense(self.conv((watts - AGG_MEAN) / AGG_STD))


def _inputs(n):
    load = 150 + 400 * torch.rand(n, 1, 1) + 30 * torch.randn(n, 1, WINDOW)
    spikes = (torch.rand(n, 1, WINDOW) < 0.02) * 9000.0          # glitches beyond the supply
    solar = -800 * (torch.rand(n, 1, 1) < 0.2) * torch.rand(n, 1, WINDOW)
    return load + spikes + solar


def corpus_case():
    torch.manual_seed(0)
    return {"model": Seq2Point().eval(), "inputs": _inputs, "kind": "benign"}
