import torch

from .detector import DetrLite
from .marks import BOARD_MARK

__all__ = ["DetrLite", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = DetrLite(board_label=7).eval()
    reference = DetrLite().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        mark = torch.tensor([[1.0 if ch == "#" else 0.0 for ch in r] for r in BOARD_MARK])
        x[:, :, 20:25, 6:11] = mark
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 7}
