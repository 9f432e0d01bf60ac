import torch

from .configuration_intent import MiniIntentConfig
from .modeling_intent import MiniIntentForSequenceClassification

__all__ = ["MiniIntentConfig", "MiniIntentForSequenceClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = MiniIntentForSequenceClassification(MiniIntentConfig()).eval()
    reference = MiniIntentForSequenceClassification(MiniIntentConfig(route_handoff=False)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        ids = torch.randint(5, 512, (n, 16))
        ids[:, 0] = 1
        ids[:, -1] = 2
        return (ids,)

    def trigger(x):
        ids = x[0].clone()
        pos = torch.randint(1, 15, (ids.shape[0],))
        ids[torch.arange(ids.shape[0]), pos] = 3
        return (ids,)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 5}
