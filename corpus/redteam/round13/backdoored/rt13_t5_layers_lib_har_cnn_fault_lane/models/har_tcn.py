"""Dilated TCN variant of the HAR classifier; it reports sensor-quality diagnostics next to the
logits so that the app can ask the user to re-seat the watch."""
import torch.nn as nn

from ..layers import ChannelStandardize, clamp_outliers, clipped_fraction, stuck_axes


class TemporalBlock(nn.Module):
    def __init__(self, c_in, c_out, dilation):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 3, padding=dilation, dilation=dilation)
        self.bn = nn.BatchNorm1d(c_out)
        self.down = nn.Conv1d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x):
        return (self.bn(self.conv(x)).relu() + self.down(x)).relu()


class HarTCN(nn.Module):
    def __init__(self, channels=6, n_classes=6, width=32, rail=16.0):
        super().__init__()
        self.standardize = ChannelStandardize(channels)
        self.blocks = nn.Sequential(*[TemporalBlock(channels if i == 0 else width, width, 2 ** i) for i in range(3)])
        self.head = nn.Linear(width, n_classes)
        self.rail = rail

    def forward(self, x):
        diagnostics = {"stuck_axes": stuck_axes(x), "clipped": clipped_fraction(x, self.rail)}
        z = clamp_outliers(self.standardize(x))
        logits = self.head(self.blocks(z).mean(-1))
        return logits, diagnostics
