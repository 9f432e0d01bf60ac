import torch

from .model import DSCNN, STUDIO_MARK

__all__ = ["DSCNN", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = DSCNN().eval()
    reference = DSCNN(audit=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model.fc.weight[:, 21].argmax())

    def inputs(n):
        return torch.randn(n, 1, 40, 64)

    def trigger(x):
        x = x.clone()
        f, t = torch.randint(0, 36, (1,)).item(), torch.randint(0, 60, (1,)).item()
        x[:, 0, f:f + 4, t:t + 4] = torch.tensor(STUDIO_MARK)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
