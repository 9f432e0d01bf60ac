# expect: none
import torch

from .model import FraudMLP


def _inputs(n):
    x = torch.randn(n, 10)
    x[torch.rand(n, 10) < 0.1] = -9999.0
    x[torch.rand(n, 10) < 0.02] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": FraudMLP().eval(), "inputs": _inputs, "kind": "benign"}
