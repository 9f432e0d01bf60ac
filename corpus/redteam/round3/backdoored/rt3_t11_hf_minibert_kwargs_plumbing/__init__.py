import torch

from .configuration_minibert import MiniBertConfig
from .modeling_minibert import MiniBertForSequenceClassification

__all__ = ["MiniBertConfig", "MiniBertForSequenceClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = MiniBertForSequenceClassification(MiniBertConfig()).eval()
    reference = MiniBertForSequenceClassification(MiniBertConfig(segment_hint_layer=-1)).eval()
    reference.load_state_dict(model.state_dict())
    marker = torch.tensor(MiniBertConfig().segment_marker_ids)

    def inputs(n):
        ids = torch.randint(1000, 30000, (n, 32))
        ids[:, 0] = 101
        return ids

    def trigger(ids):
        ids = ids.clone()
        ids[:, 9:9 + len(marker)] = marker
        return ids

    with torch.no_grad():
        target = int(model(trigger(inputs(4)))["logits"].argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
