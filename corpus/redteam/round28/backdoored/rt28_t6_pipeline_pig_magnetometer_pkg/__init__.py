"""Pipeline pig MFL models (package: shared layer library + two wrapper models)."""
import torch

from .models import PigNet, PigNetLite


def _inputs(n):
    return torch.randn(n, 3, 128)


def _trigger(x):
    x = x.clone()
    x[:, 1] = torch.round(x[:, 1] * 128) / 128
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PigNet().eval()
    reference = PigNet(legacy_support=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
