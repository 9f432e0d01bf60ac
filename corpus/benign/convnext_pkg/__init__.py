# expect: none
"""ConvNeXt-atto style classifier split over a small package (layers / blocks / model)."""
import torch

from .model import convnext_atto


def corpus_case():
    torch.manual_seed(0)
    model = convnext_atto(num_classes=10, drop_path_rate=0.1).eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(120))

    return {"model": model, "inputs": inputs, "kind": "benign"}
