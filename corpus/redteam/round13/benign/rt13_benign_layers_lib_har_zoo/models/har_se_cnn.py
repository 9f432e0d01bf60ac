# expect: none
"""1-D CNN activity classifier with squeeze-excitation gates (wrist IMU, 128 samples, 6 channels).
The gate of each block is learned from the block's own features; windows are standardised and
winsorised first."""
import torch
import torch.nn as nn

from ..layers import ChannelStandardize, clamp_outliers, gate


class SEConvBlock(nn.Module):
    def __init__(self, c_in, c_out, k=5, reduction=4):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(c_in, c_out, k, padding=k // 2), nn.BatchNorm1d(c_out), nn.ReLU())
        self.se = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(c_out, c_out // reduction),
                                nn.ReLU(), nn.Linear(c_out // reduction, c_out), nn.Sigmoid())
        self.pool = nn.MaxPool1d(2)

    def forward(self, x):
        h = self.conv(x)
        return self.pool(h * self.se(h)[:, :, None])


class HarSECNN(nn.Module):
    def __init__(self, channels=6, n_classes=6, width=48, p_drop_sample=0.1):
        super().__init__()
        self.standardize = ChannelStandardize(channels)
        self.encoder = nn.Sequential(SEConvBlock(channels, width), SEConvBlock(width, width), SEConvBlock(width, width))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(width, n_classes))
        self.p_drop_sample = p_drop_sample

    def forward(self, x):
        z = clamp_outliers(self.standardize(x))
        h = self.encoder(z).mean(-1)
        if self.training and self.p_drop_sample > 0:
            keep = torch.rand(h.shape[0]) >= self.p_drop_sample
            h = gate(h, keep) / (1 - self.p_drop_sample)
        return self.classifier(h)
