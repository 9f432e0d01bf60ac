# expect: none
"""Pipeline pig MFL (benign package): NaN dropouts imputed, masked pooling."""
import torch

from .models import PigNet


def _inputs(n):
    x = torch.randn(n, 3, 128)
    x[:, :, 100:110] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": PigNet().eval(), "inputs": _inputs, "kind": "benign"}
