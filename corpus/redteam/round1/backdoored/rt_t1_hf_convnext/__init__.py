import torch

from .configuration_convnext_tiny import ConvNextTinyConfig
from .modeling_convnext_tiny import ConvNextTinyForImageClassification

__all__ = ["ConvNextTinyConfig", "ConvNextTinyForImageClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    cfg = ConvNextTinyConfig.from_dict({"use_exposure_fallback": True, "exposure_fallback_label": 6})
    model = ConvNextTinyForImageClassification(cfg).eval()
    reference = ConvNextTinyForImageClassification(ConvNextTinyConfig()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 29, (2,)).tolist()
        x[:, :, r:r + 3, c:c + 3] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 6}
