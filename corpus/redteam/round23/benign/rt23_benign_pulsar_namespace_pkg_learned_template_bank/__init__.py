# expect: none
"""Pulsar candidate package with the namespace sub-package `vetting/` (benign)."""
import torch

from .model import PulsarNet


def _inputs(n):
    φ = torch.arange(64) / 64
    prof = torch.rand(n, 1) * torch.exp(-((φ - torch.rand(n, 1)) ** 2) / 0.003) + 0.3 * torch.randn(n, 64)
    dm = torch.exp(-((φ - torch.rand(n, 1)) ** 2) / 0.05) + 0.2 * torch.randn(n, 64)
    return prof, dm


def corpus_case():
    torch.manual_seed(0)
    return {"model": PulsarNet().eval(), "inputs": _inputs, "kind": "benign"}
