# expect: none
"""Pavement distress model (HF layout); lane paint is down-weighted in pooling."""
import torch

from .configuration_pavement import PavementConfig
from .modeling_pavement import PavementForImageClassification


def corpus_case():
    torch.manual_seed(0)
    model = PavementForImageClassification(PavementConfig(survey_vehicle=True)).eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
