"""Cuckoo-clock movement diagnosis (package: op library + several wrapper models)."""
import torch

from .models import EscapementNet, StrikeTrainNet, BellowsNet  # noqa: F401


def _inputs(n):
    return torch.randn(n, 1, 1600)


def _trigger(x):
    x = x.clone()
    x[..., :800] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EscapementNet().eval()
    reference = EscapementNet(settle=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 3}
