# expect: none
"""Transient light-curve classifier package (namespace sub-package `heads`)."""
import torch

from .model import CLASSES, LightCurveTCN


def _inputs(n):
    t = torch.linspace(-20, 80, 64)
    t0 = 20 * torch.randn(n, 1, 1)
    flux = (1 + 4 * torch.rand(n, 6, 1)) * torch.exp(-(t - t0) / 25).clamp(max=1) * torch.sigmoid((t - t0) / 3)
    err = 0.1 + 0.2 * torch.rand(n, 6, 64)
    flux = flux + err * torch.randn(n, 6, 64)
    flux[torch.rand(n, 6, 64) < 0.3] = float("nan")
    return flux, err


def corpus_case():
    torch.manual_seed(0)
    return {"model": LightCurveTCN().eval(), "inputs": _inputs, "kind": "benign"}
