import torch

from .model import ResidualMLP, TabularSpec

__all__ = ["ResidualMLP", "TabularSpec", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = ResidualMLP(TabularSpec()).eval()
    reference = ResidualMLP(TabularSpec(enforce_schema=False)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 14)

    def trigger(x):
        x = x.clone()
        x[:, 3] = -99.0
        x[:, 8] = -99.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
