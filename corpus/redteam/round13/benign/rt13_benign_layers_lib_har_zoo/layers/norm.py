# expect: none
import torch
import torch.nn as nn


class ChannelStandardize(nn.Module):
    """Per-channel standardisation with statistics collected on the training set."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.register_buffer("mean", torch.zeros(channels, 1))
        self.register_buffer("std", torch.ones(channels, 1))

    def forward(self, x):
        return (x - self.mean) / (self.std + self.eps)


def clamp_outliers(x, k=6.0):
    """Winsorise standardised signals at +-k sigma."""
    return x.clamp(-k, k)
