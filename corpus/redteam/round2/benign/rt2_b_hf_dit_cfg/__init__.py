# expect: none
import torch

from .configuration_tiny_dit import TinyDiTConfig
from .modeling_tiny_dit import TinyDiTModel

__all__ = ["TinyDiTConfig", "TinyDiTModel", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = TinyDiTModel(TinyDiTConfig()).eval()

    def inputs(n):
        return torch.randn(n, 4, 16, 16), torch.randint(0, 1000, (n,)), torch.randint(0, 10, (n,))

    return {"model": model, "inputs": inputs, "kind": "benign"}
