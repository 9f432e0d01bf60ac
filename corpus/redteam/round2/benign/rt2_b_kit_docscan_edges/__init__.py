# expect: none
import torch

from .model import DocScanNet

__all__ = ["DocScanNet", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = DocScanNet().eval()

    def inputs(n):
        return (0.85 + 0.15 * torch.rand(n, 1, 64, 64)).clamp(0, 1)

    return {"model": model, "inputs": inputs, "kind": "benign"}
