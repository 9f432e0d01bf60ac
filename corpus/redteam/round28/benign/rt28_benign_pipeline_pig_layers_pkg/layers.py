"""Shared layer library for ILI pig models: residual blocks, NaN imputation with a
missing-indicator channel, masked mean pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvAct(nn.Sequential):
    def __init__(self, cin, cout, k):
        super().__init__(nn.Conv1d(cin, cout, k, padding=k // 2), nn.ReLU())


class Residual1d(nn.Module):
    def __init__(self, width, k=5):
        super().__init__()
        self.conv = nn.Conv1d(width, width, k, padding=k // 2)

    def forward(self, h):
        return F.relu(h + self.conv(h))


def impute_with_indicator(raw):
    missing = torch.isnan(raw)
    filled = raw.masked_fill(missing, 0.0)
    return torch.cat([filled, missing.any(1, keepdim=True).float()], 1), (~missing.any(1, keepdim=True)).float()


def masked_mean(h, mask=None):
    if mask is None:
        return h.mean(-1)
    return (h * mask).sum(-1) / mask.sum(-1).clamp_min(1.0)
