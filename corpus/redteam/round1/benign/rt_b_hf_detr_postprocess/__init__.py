# expect: none
import torch

from .configuration_tinydet import TinyDetConfig
from .modeling_tinydet import TinyDetForObjectDetection


def corpus_case():
    torch.manual_seed(0)
    model = TinyDetForObjectDetection(TinyDetConfig()).eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
