# expect: none
import torch

from .configuration_histo import HistoConvNextConfig
from .modeling_histo import ConvNextForImageClassification


def corpus_case():
    torch.manual_seed(0)
    model = ConvNextForImageClassification(HistoConvNextConfig()).eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
