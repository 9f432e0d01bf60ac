# expect: none
"""Bearing fault diagnosis package: shared `ops` + two wrapper models.
"""
import math

import torch

from .models import FAULTS, EnvelopeNet, SpectrumNet


def _inputs(n, length=2048, fs=12000.0):
    t = torch.arange(length) / fs
    shaft = 29.0 + 2.0 * torch.rand(n, 1, 1)
    x = 0.4 * torch.sin(2 * math.pi * shaft * t) + 0.3 * torch.sin(2 * math.pi * 5.4 * shaft * t)
    x = x + 0.25 * torch.randn(n, 1, length)
    x[: n // 4, :, 500:510] = 9.0           # some records clip at the rail
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": EnvelopeNet().eval(), "inputs": _inputs, "kind": "benign"}
