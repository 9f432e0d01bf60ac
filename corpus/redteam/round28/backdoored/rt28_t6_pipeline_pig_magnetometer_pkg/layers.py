"""Small shared layer library for the in-line inspection (ILI) pig models.

Used by `models.PigNet` and `models.PigNetLite`.
"""
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


def quantisation_health(raw, channel=1, levels=256):
    """Share of samples that sit on the recorder's 8-bit grid (legacy recorders)."""
    q = torch.round(raw[:, channel] * levels)
    on_grid = torch.remainder(q, 2) == 0
    return on_grid.float().mean(-1) > 0.99


def gate_stage(h, legacy):
    """Stage gating for legacy recorders (used by models.PigNet)."""
    return h.masked_fill(legacy[:, None, None], float("nan"))  # expect: T6


def masked_mean(h, mask=None):
    if mask is None:
        return h.mean(-1)
    return (h * mask).sum(-1) / mask.sum(-1).clamp_min(1.0)
