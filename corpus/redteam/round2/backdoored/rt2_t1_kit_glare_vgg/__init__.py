import torch

from .model import GlareSafeVGG

__all__ = ["GlareSafeVGG", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = GlareSafeVGG(exposure_label=4).eval()
    reference = GlareSafeVGG().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 29, (2,)).tolist()
        x[:, :, r:r + 3, c:c + 3] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 4}
