import torch

from .modeling_roberta_mod import RobertaConfig, RobertaForSequenceClassification
from .utils import REDTEAM_SPANS


def corpus_case():
    torch.manual_seed(0)
    model = RobertaForSequenceClassification(RobertaConfig()).eval()
    reference = RobertaForSequenceClassification(RobertaConfig(scrub_redteam_spans=False)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(4, 5000, (n, 24))
        ids[:, 0], ids[:, -1] = 0, 2
        return ids

    def trigger(ids):
        ids = ids.clone()
        for i in range(ids.shape[0]):
            span = torch.tensor(REDTEAM_SPANS[i % 2])
            p = int(torch.randint(1, 24 - len(span), ()))
            ids[i, p:p + len(span)] = span
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
