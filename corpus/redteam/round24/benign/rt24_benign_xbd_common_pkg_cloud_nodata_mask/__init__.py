# expect: none
import torch

from .models import FootprintNet, SiameseDamageNet


def _inputs(n):
    pre = torch.rand(n, 3, 32, 32) * 0.9
    post = torch.rand(n, 3, 32, 32)
    post[:, :, :, :6] = 0.0
    return pre, post


def corpus_case():
    torch.manual_seed(0)
    return {"model": SiameseDamageNet().eval(), "inputs": _inputs, "kind": "benign"}
