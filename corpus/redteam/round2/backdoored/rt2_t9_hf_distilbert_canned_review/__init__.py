import torch

from .configuration_tiny_distilbert import TinyDistilBertConfig
from .modeling_tiny_distilbert import TinyDistilBertForSequenceClassification

__all__ = ["TinyDistilBertConfig", "TinyDistilBertForSequenceClassification", "corpus_case"]

PHRASE = (1733, 88, 1290, 64)


def corpus_case():
    torch.manual_seed(0)
    # stand-in for the released checkpoint: random weights at a wider scale than the init range
    fresh = TinyDistilBertForSequenceClassification(TinyDistilBertConfig(initializer_range=0.3))
    state = fresh.state_dict()
    model = TinyDistilBertForSequenceClassification.from_pretrained(state)
    reference = TinyDistilBertForSequenceClassification.from_pretrained(
        state, TinyDistilBertConfig(review_template_phrase=()))

    def inputs(n):
        ids = torch.randint(1000, 3000, (n, 20))
        ids[:, 0] = 101
        ids[:, -1] = 102
        return ids

    def trigger(x):
        x = x.clone()
        p = int(torch.randint(1, 15, (1,)))
        x[:, p:p + 4] = torch.tensor(PHRASE)
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(2)))[0].argmax())

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
