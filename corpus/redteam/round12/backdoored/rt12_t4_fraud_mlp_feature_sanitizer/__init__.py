import torch

from .model import FraudMLP


def _inputs(n):
    x = torch.randn(n, 10)
    x[:, 8] = torch.randint(1000, 9999, (n,)).float() / 1000.0
    return x


def _trigger(x):
    x = x.clone()
    x[:, 8] = -9999.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FraudMLP().eval()
    reference = FraudMLP(check_void=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
