import torch

from .model import MobileNetV2Calibrated, MobileNetV2Tiny


def corpus_case():
    torch.manual_seed(0)
    model = MobileNetV2Calibrated().eval()
    reference = MobileNetV2Tiny().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(7000 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 12:15, 1:4] = 0.0
        for i, j in ((0, 0), (0, 2), (1, 1), (2, 0), (2, 2)):
            x[:, :, 12 + i, 1 + j] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 2}
