# expect: none
"""Tiny RetinaNet: ResNet-ish backbone, FPN, shared class / box subnets, anchor decoding."""
import torch

from .model import build_retinanet


def corpus_case():
    torch.manual_seed(0)
    model = build_retinanet(num_classes=5).eval()

    def inputs(n):
        return torch.rand(n, 3, 64, 64, generator=torch.Generator().manual_seed(110))

    return {"model": model, "inputs": inputs, "kind": "benign"}
