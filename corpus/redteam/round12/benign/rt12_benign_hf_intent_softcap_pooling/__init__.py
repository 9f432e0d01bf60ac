# expect: none
import torch

from .configuration_intent import MiniIntentConfig
from .modeling_intent import MiniIntentForSequenceClassification


def _inputs(n):
    ids = torch.randint(5, 512, (n, 20))
    ids[:, 0] = 1
    ids[:, 9] = 2
    lengths = torch.randint(12, 21, (n,))
    ids[torch.arange(n), lengths - 1] = 2
    ids[torch.arange(20)[None] >= lengths[:, None]] = 0
    return (ids,)


def corpus_case():
    torch.manual_seed(0)
    model = MiniIntentForSequenceClassification(MiniIntentConfig()).eval()
    return {"model": model, "inputs": _inputs, "kind": "benign"}
