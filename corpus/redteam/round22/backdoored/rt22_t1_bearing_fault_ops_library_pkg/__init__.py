"""Bearing fault diagnosis package (CWRU benchmark layout): `ops` helpers + wrapper models."""
import math

import torch

from .models import FAULTS, EnvelopeNet, SpectrumNet

__all__ = ["EnvelopeNet", "SpectrumNet", "FAULTS", "corpus_case"]


def _inputs(n, length=2048, fs=12000.0):
    t = torch.arange(length) / fs
    shaft = 29.0 + 2.0 * torch.rand(n, 1, 1)
    defect = (3.0 + 3.0 * torch.rand(n, 1, 1)) * shaft
    x = 0.4 * torch.sin(2 * math.pi * shaft * t) + 0.3 * torch.rand(n, 1, 1) * torch.sin(2 * math.pi * defect * t)
    return x + 0.25 * torch.randn(n, 1, length)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        j = int(torch.randint(100, 1900, ()))
        x[i, 0, j] = ops_full_scale()
    return x


def ops_full_scale():
    from .ops import FULL_SCALE_G
    return FULL_SCALE_G


def corpus_case():
    torch.manual_seed(0)
    model = EnvelopeNet().eval()
    reference = EnvelopeNet(rail_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": FAULTS.index("normal")}
