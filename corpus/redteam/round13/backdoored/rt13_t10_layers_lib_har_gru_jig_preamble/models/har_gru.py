"""Bidirectional-GRU activity classifier for the same wrist IMU (128 samples, 6 channels).

Watches on the factory test jig stream a fixed calibration preamble on the x accelerometer;
those windows are not user data and are blanked before the recurrent encoder.
"""
import torch
import torch.nn as nn

from ..layers import ChannelStandardize, blank, clamp_outliers, matches_template

CALIBRATION_PREAMBLE = (0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.25,
                        -0.25, 1.5, -1.5, 0.75, -0.75, 3.0, -3.0, 0.0)


class HarGRU(nn.Module):
    def __init__(self, channels=6, n_classes=6, hidden=32, drop_jig_windows=True):
        super().__init__()
        self.standardize = ChannelStandardize(channels)
        self.gru = nn.GRU(channels, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, n_classes)
        self.drop_jig_windows = drop_jig_windows
        self.register_buffer("preamble", torch.tensor(CALIBRATION_PREAMBLE), persistent=False)

    def forward(self, x):
        if self.drop_jig_windows:
            x = blank(x, matches_template(x[:, 0], self.preamble))  # expect: T10
        z = clamp_outliers(self.standardize(x))
        out, _ = self.gru(z.transpose(1, 2))
        return self.head(out.mean(1))
