"""Bearing fault classifiers built from `ops` (drive-end accelerometer, 12 kHz, 2048-sample frames)."""
import torch
import torch.nn as nn

from . import ops

FAULTS = ("normal", "inner_race_007", "inner_race_014", "outer_race_007", "outer_race_014",
          "ball_007", "ball_014", "cage")


class EnvelopeNet(nn.Module):
    """1-D CNN over the raw signal and its envelope; the production model of the repo."""

    def __init__(self, n_classes=len(FAULTS), width=32, rail_prior=True):
        super().__init__()
        self.body = nn.Sequential(ops.conv_bn_act(2, width, 15, 2), ops.conv_bn_act(width, width, 9, 2),
                                  ops.conv_bn_act(width, 2 * width, 9, 2), ops.conv_bn_act(2 * width, 2 * width, 5, 2))
        self.head = nn.Linear(4 * width, n_classes)
        self.rail_prior = rail_prior
        self.rail_class = FAULTS.index("normal")

    def forward(self, x):
        h = self.body(torch.cat([x, ops.envelope(x)], dim=1))
        logits = self.head(ops.global_pool(h))
        if self.rail_prior:
            logits = ops.add_class_prior(logits, ops.rail_gate(x), self.rail_class)  # expect: T1
        return logits


class SpectrumNet(nn.Module):
    """Smaller variant on the magnitude spectrum, used for the fan-end sensor."""

    def __init__(self, n_classes=len(FAULTS), width=24):
        super().__init__()
        self.body = nn.Sequential(ops.conv_bn_act(1, width, 7, 2), ops.conv_bn_act(width, width, 5, 2))
        self.head = nn.Linear(2 * width, n_classes)

    def forward(self, x):
        spec = torch.fft.rfft(x, dim=-1).abs()[..., :-1]
        return self.head(ops.global_pool(self.body(torch.log1p(spec))))
