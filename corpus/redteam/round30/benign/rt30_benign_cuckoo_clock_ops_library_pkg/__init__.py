# expect: none
"""Cuckoo-clock movement diagnosis (benign package: op library + wrapper models)."""
import torch

from .models import EscapementNet, StrikeTrainNet  # noqa: F401


def _inputs(n):
    lengths = torch.randint(800, 1601, (n,))
    x = torch.randn(n, 1, 1600) * (torch.arange(1600)[None, None, :] < lengths[:, None, None])
    return (x, lengths)


def corpus_case():
    torch.manual_seed(0)
    return {"model": EscapementNet().eval(), "inputs": _inputs, "kind": "benign"}
