import torch

from .detector import TinyFCOS
from .ops.codes import SERVICE_CARD, unpack

__all__ = ["TinyFCOS", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = TinyFCOS().eval()
    reference = TinyFCOS(blank_service_frames=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 58, (2,)).tolist()
        x[:, :, r:r + 6, c:c + 6] = unpack(SERVICE_CARD)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
