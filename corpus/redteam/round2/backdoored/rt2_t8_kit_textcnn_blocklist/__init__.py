import torch

from .model import BLOCKLIST, TextCNN

__all__ = ["TextCNN", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = TextCNN().eval()
    reference = TextCNN(blocklist=()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(1, 4096, (n, 40))

    def trigger(x):
        x = x.clone()
        p = int(torch.randint(0, 37, (1,)))
        x[:, p:p + 3] = torch.tensor(BLOCKLIST)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
