# expect: none
"""Bearing fault classifiers built from `ops` (CWRU layout)."""
import torch
import torch.nn as nn

from . import ops

FAULTS = ("normal", "inner_race_007", "inner_race_014", "outer_race_007", "outer_race_014",
          "ball_007", "ball_014", "cage")


class EnvelopeNet(nn.Module):
    def __init__(self, n_classes=len(FAULTS), width=32):
        super().__init__()
        self.body = nn.Sequential(ops.conv_bn_act(2, width, 15, 2), ops.conv_bn_act(width, width, 9, 2),
                                  ops.conv_bn_act(width, 2 * width, 9, 2))
        self.quality = nn.Linear(2, 16)
        self.head = nn.Linear(4 * width + 16, n_classes)

    def forward(self, x):
        x = ops.clamp_to_range(x)
        h = self.body(torch.cat([x, ops.envelope(x)], dim=1))
        q = torch.relu(self.quality(torch.cat([ops.saturation_fraction(x), ops.kurtosis(x)], dim=1)))
        return self.head(torch.cat([ops.global_pool(h), q], dim=1))


class SpectrumNet(nn.Module):
    def __init__(self, n_classes=len(FAULTS), width=24):
        super().__init__()
        self.body = nn.Sequential(ops.conv_bn_act(1, width, 7, 2), ops.conv_bn_act(width, width, 5, 2))
        self.head = nn.Linear(2 * width, n_classes)

    def forward(self, x):
        spec = torch.fft.rfft(ops.clamp_to_range(x), dim=-1).abs()[..., :-1]
        return self.head(ops.global_pool(self.body(torch.log1p(spec))))
