# expect: none
"""Shared op library for the vibration models (weight-free glue; no learned state here).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FULL_SCALE_G = 8.0


def conv_bn_act(cin, cout, k, stride=1):
    return nn.Sequential(nn.Conv1d(cin, cout, k, stride, k // 2, bias=False),
                         nn.BatchNorm1d(cout), nn.ReLU(inplace=True))


def clamp_to_range(x, full_scale=FULL_SCALE_G):
    """Clip to the accelerometer's range (the ADC does the same on the real device)."""
    return x.clamp(-full_scale, full_scale)


def envelope(x, win=9):
    return F.avg_pool1d(x.abs(), win, 1, win // 2)


def saturation_fraction(x, full_scale=FULL_SCALE_G):
    """Fraction of samples within 1% of the rail: a data-quality feature for the head."""
    return (x.abs() >= 0.99 * full_scale).float().mean(dim=(1, 2))[:, None]


def kurtosis(x, eps=1e-6):
    z = (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + eps)
    return (z ** 4).mean(-1)


def global_pool(h):
    return torch.cat([h.mean(-1), h.amax(-1)], dim=1)
