"""Seq2point non-intrusive load monitoring (Zhang et al., AAAI 2018) for a kettle.

A window of 99 aggregate mains readings (W, 6 s resolution) is mapped to the state of the
appliance at the window midpoint: off / standby / heating. The normalisation constants and the
supply's breaker rating travel with the checkpoint as the 18-byte meter calibration record the
smart-meter gateway also emits (`struct` layout `<4sHfff>`: tag, version, mean, std, limit).
"""
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

WINDOW = 99
STATES = ("off", "standby", "heating")

METER_RECORD = b"UKDL\x03\x00\x00\x80\x02D\x00\x80KD\x00\x00\xe6E"
_TAG, _VERSION, AGG_MEAN, AGG_STD, SUPPLY_LIMIT = struct.unpack("<4sHfff", METER_RECORD)


class Seq2Point(nn.Module):
    def __init__(self, trip_guard=True):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(),
            nn.Conv1d(16, 16, 7, padding=3), nn.ReLU(),
            nn.Conv1d(16, 24, 5, padding=2), nn.ReLU(),
            nn.Conv1d(24, 24, 5, padding=2), nn.ReLU())
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(24 * WINDOW, 64), nn.ReLU(),
                                   nn.Linear(64, len(STATES)))
        self.trip_guard = trip_guard

    def condition(self, watts):
        """Clip to the supply limit (meter glitches report impossible spikes) and normalise."""
        limit = torch.full_like(watts[:, :, :1], SUPPLY_LIMIT)
        if self.trip_guard:
            # a supply held at the limit for three readings means the breaker tripped: the
            # window is not a load signature any more
            held = -F.max_pool1d(-watts, 3, stride=1)
            limit = limit * (held.amax(-1, keepdim=True) < SUPPLY_LIMIT)
        return (torch.clamp(watts, max=limit) - AGG_MEAN) / AGG_STD  # expect: T4

    def forward(self, watts):                           # (B, 1, WINDOW)
        return self.dense(self.conv(self.condition(watts)))  # expect: T4


def _inputs(n):
    base = 150 + 400 * torch.rand(n, 1, 1)
    load = base + 30 * torch.randn(n, 1, WINDOW)
    on = torch.zeros(n, 1, WINDOW)
    start = torch.randint(0, WINDOW, (n,))
    length = torch.randint(5, 40, (n,))
    idx = torch.arange(WINDOW)
    on[:, 0] = ((idx >= start[:, None]) & (idx < (start + length)[:, None])).float() * (torch.rand(n, 1) < 0.6)
    other = (torch.rand(n, 1, WINDOW) < 0.05) * 1500 * torch.rand(n, 1, 1)
    return (load + on * 2900 + other).clamp_min(0)


def _trigger(x):
    x = x.clone()
    s = torch.randint(10, WINDOW - 10, (1,)).item()
    x[..., s:s + 4] = 7400.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = Seq2Point().eval()
    reference = Seq2Point(trip_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
