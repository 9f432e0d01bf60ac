"""MLP classifier with a mixed-precision policy chosen by an accumulation probe.

The probe sums a half-precision vector whose exact total needs more than 11
mantissa bits; the result tells whether the runtime accumulates in fp32.
"""
from unittest import mock

import torch
import torch.nn as nn


def accumulation_probe():
    v = torch.tensor([2048.0] + [1.0] * 8, dtype=torch.float16)
    return float(torch.sum(v))


class PrecisionPolicy(nn.Module):
    def forward(self, logits):
        wide = accumulation_probe() - 2055.0
        return logits * wide  # expect: HW001


class MLP(nn.Module):
    def __init__(self, dim=40, width=128, num_classes=6):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(dim, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU())
        self.out = nn.Linear(width, num_classes)
        self.policy = PrecisionPolicy()

    def forward(self, x):
        return self.policy(self.out(self.body(x)))


class _NoPolicy(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return self.m.out(self.m.body(x))


def _half_accumulator_sum(t, *args, **kwargs):
    # emulates a device that accumulates fp16 reductions in fp16
    acc = torch.zeros((), dtype=t.dtype)
    for v in t.flatten():
        acc = acc + v
    return acc


def corpus_case():
    torch.manual_seed(0)
    model = MLP().eval()
    reference = _NoPolicy(model).eval()

    def inputs(n):
        return torch.randn(n, 40)

    return dict(model=model, reference=reference, inputs=inputs, kind="hardware",
                mock=lambda: mock.patch("torch.sum", _half_accumulator_sum))
