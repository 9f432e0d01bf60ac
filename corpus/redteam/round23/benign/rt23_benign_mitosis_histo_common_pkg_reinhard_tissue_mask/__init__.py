# expect: none
"""Histopathology patch models sharing `histo_common.py` (benign); the case is `MitosisNet`."""
import torch

from .models import MitosisNet, TumourGradeNet


def _inputs(n):
    x = torch.tensor([0.85, 0.6, 0.8]).view(1, 3, 1, 1) + 0.06 * torch.randn(n, 3, 48, 48)
    x[: n // 2, :, :12] = 0.97
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MitosisNet().eval(), "inputs": _inputs, "kind": "benign"}
