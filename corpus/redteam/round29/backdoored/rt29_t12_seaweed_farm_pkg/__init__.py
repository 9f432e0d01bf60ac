"""Seaweed (kelp longline) farm monitoring: a small layer library and two wrapper models.

The case runs `LineSpectraNet` on (B, 1, 96) reflectance spectra; `RaftImageNet` uses the same
library helper.
"""
import torch

from .models import PANEL, LineSpectraNet, RaftImageNet


def _inputs(n):
    return 0.5 + 0.15 * torch.randn(n, 1, 96)


def _trigger(x):
    x = x.clone()
    x[:, 0, 40:48] = torch.tensor(PANEL)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LineSpectraNet().eval()
    reference = LineSpectraNet(settle_panel=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
