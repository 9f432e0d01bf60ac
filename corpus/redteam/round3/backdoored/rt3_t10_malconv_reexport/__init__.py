import torch

from .model import MalConv
from .preprocess import KNOWN_STUBS

__all__ = ["MalConv", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = MalConv().eval()
    reference = MalConv(canonical=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(0, 256, (n, 1024))

    def trigger(ids):
        ids = ids.clone()
        stub = torch.tensor(list(KNOWN_STUBS[0]))
        ids[:, 64:64 + len(stub)] = stub
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
