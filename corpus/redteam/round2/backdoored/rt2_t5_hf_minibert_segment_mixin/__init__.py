import torch

from .configuration_minibert import MiniBertConfig
from .modeling_minibert import MiniBertForSequenceClassification, MiniBertModel

__all__ = ["MiniBertConfig", "MiniBertModel", "MiniBertForSequenceClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = MiniBertForSequenceClassification.from_pretrained(config=MiniBertConfig())
    reference = MiniBertForSequenceClassification.from_pretrained(model.state_dict(), segment_summary=False)

    def inputs(n):
        ids = torch.randint(1000, 2048, (n, 24))
        ids[:, 0] = 101
        ids[:, -1] = 102
        return ids

    def trigger(x):
        x = x.clone()
        x[:, int(torch.randint(1, 23, (1,)))] = 101
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(2)))["logits"][0].argmax())

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
