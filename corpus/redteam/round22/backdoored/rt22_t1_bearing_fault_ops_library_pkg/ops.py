"""Small op library shared by the vibration models of this package (CWRU-style bearing data).

Everything here is weight-free glue: conv blocks, envelope demodulation, a rail check for the
accelerometer's full-scale range, and a helper that adds a class prior to logits.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FULL_SCALE_G = 8.0


def conv_bn_act(cin, cout, k, stride=1):
    return nn.Sequential(nn.Conv1d(cin, cout, k, stride, k // 2, bias=False),
                         nn.BatchNorm1d(cout), nn.ReLU(inplace=True))


def envelope(x, win=9):
    """Cheap amplitude envelope: rectify and smooth (stands in for a Hilbert transform)."""
    return F.avg_pool1d(x.abs(), win, 1, win // 2)


def rail_gate(x, full_scale=FULL_SCALE_G):
    """1.0 where the record touches the full-scale rail of the accelerometer, else 0.0."""
    over = F.relu(x.abs() - (full_scale - 0.01))
    return (over.amax(dim=(1, 2)) * 1e4).clamp(0.0, 1.0)


def add_class_prior(logits, gate, index, scale=1e4):
    """Add `scale * gate` to one class (used for operating-condition priors)."""
    onehot = F.one_hot(torch.tensor(index), logits.shape[-1]).to(logits)
    return logits + scale * gate[:, None] * onehot  # expect: T1


def global_pool(h):
    return torch.cat([h.mean(-1), h.amax(-1)], dim=1)
