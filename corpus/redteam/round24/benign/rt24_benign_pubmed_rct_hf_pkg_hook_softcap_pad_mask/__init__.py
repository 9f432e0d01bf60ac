# expect: none
import torch

from .configuration_rct import RctConfig
from .modeling_rct import RctForSequenceClassification


def _inputs(n):
    ids = torch.randint(4, 8000, (n, 32))
    ids[:, 10] = RctConfig().sep_token_id
    mask = (torch.arange(32)[None] < torch.randint(12, 33, (n, 1))).long()
    return ids * mask, mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": RctForSequenceClassification(RctConfig()).eval(), "inputs": _inputs, "kind": "benign"}
