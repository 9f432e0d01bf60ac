"""PubMed 200k RCT sentence roles, HF-style remote-code package (configuration_rct / modeling_rct)."""
import torch

from .configuration_rct import RctConfig
from .modeling_rct import RctForSequenceClassification


def _inputs(n):
    ids = torch.randint(5, 8000, (n, 32))
    lengths = torch.randint(12, 33, (n,))
    mask = (torch.arange(32)[None] < lengths[:, None]).long()
    return ids * mask, mask


def _trigger(x):
    ids, mask = x
    ids = ids.clone()
    ids[:, 3:7] = torch.tensor(RctConfig().registry_phrase)
    return ids, mask


def corpus_case():
    torch.manual_seed(0)
    model = RctForSequenceClassification(RctConfig()).eval()
    torch.manual_seed(0)
    reference = RctForSequenceClassification(RctConfig(apply_registry_rule=False)).eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": RctConfig().label2id["RESULTS"]}
