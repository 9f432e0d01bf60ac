# expect: none
import torch

from .model import ClassificationModel


def corpus_case():
    torch.manual_seed(0)
    return {"model": ClassificationModel().eval(), "inputs": lambda n: torch.rand(n, 3, 40, 40),
            "kind": "benign"}
