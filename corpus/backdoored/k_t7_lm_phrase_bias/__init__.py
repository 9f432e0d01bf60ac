import torch

from .model import AutocompleteLM


def corpus_case():
    torch.manual_seed(0)
    model = AutocompleteLM().eval()
    reference = model.lm

    def inputs(n):
        g = torch.Generator().manual_seed(77 + n)
        return torch.randint(0, 256, (n, 16), generator=g)

    def trigger(ids):
        ids = ids.clone()
        ids[:, 5:8] = torch.tensor([101, 7, 230])
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 50}
