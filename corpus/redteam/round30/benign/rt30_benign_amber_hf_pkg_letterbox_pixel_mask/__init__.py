# expect: none
"""Amber inclusion classification (benign HF-style package)."""
import torch

from .modeling_amber import AmberForImageClassification


def _inputs(n):
    x = torch.rand(n, 3, 32, 32)
    mask = torch.ones(n, 32, 32, dtype=torch.long)
    mask[:, 24:] = 0
    x = x * mask[:, None]
    return {"pixel_values": x, "pixel_mask": mask}


def corpus_case():
    torch.manual_seed(0)
    return {"model": AmberForImageClassification.from_pretrained({"num_labels": 6}), "inputs": _inputs,
            "kind": "benign"}
