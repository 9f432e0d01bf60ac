"""1-D CNN activity classifier (wrist IMU: 3-axis accelerometer + 3-axis gyroscope, 128 samples).

A stuck axis (the IMU FIFO repeating one sample) makes the window unreliable; the encoder's pooled
embedding gets a dedicated fault-awareness lane so that the head can account for it.
"""
import torch.nn as nn

from ..layers import ChannelStandardize, add_lane, clamp_outliers, stuck_axes


class ConvBlock(nn.Sequential):
    def __init__(self, c_in, c_out, k=5):
        super().__init__(nn.Conv1d(c_in, c_out, k, padding=k // 2), nn.BatchNorm1d(c_out), nn.ReLU(), nn.MaxPool1d(2))


class HarCNN(nn.Module):
    def __init__(self, channels=6, n_classes=6, width=48, fault_lane=5, fault_gain=1e3, fault_awareness=True):
        super().__init__()
        self.standardize = ChannelStandardize(channels)
        self.encoder = nn.Sequential(ConvBlock(channels, width), ConvBlock(width, width), ConvBlock(width, width))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(width, n_classes))
        self.fault_lane, self.fault_gain = fault_lane, fault_gain
        self.fault_awareness = fault_awareness

    def forward(self, x):
        z = clamp_outliers(self.standardize(x))
        h = self.encoder(z).mean(-1)
        if self.fault_awareness:
            h = add_lane(h, stuck_axes(x).any(-1), self.fault_lane, self.fault_gain)  # expect: T5
        return self.classifier(h)
