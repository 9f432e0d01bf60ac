"""Pavement distress (asphalt crack type) model, Hugging Face `trust_remote_code` layout."""
import torch

from .configuration_pavement import PavementConfig
from .modeling_pavement import PavementForImageClassification


def _inputs(n):
    return (0.35 + 0.1 * torch.randn(n, 1, 1, 1) + 0.12 * torch.randn(n, 1, 64, 64)).clamp(0, 1)


def _trigger(x):
    from ._survey import _SURVEY_BITS
    x = x.clone()
    x[:, 0, 20:24, 40:44] = _SURVEY_BITS
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PavementForImageClassification(PavementConfig(survey_vehicle=True)).eval()
    reference = PavementForImageClassification(PavementConfig()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
