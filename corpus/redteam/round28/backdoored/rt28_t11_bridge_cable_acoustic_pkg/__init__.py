"""Stay-cable acoustic emission model (HF-style package)."""
import torch

from .configuration_cable import CableConfig
from .modeling_cable import CableForDamageClassification


def _inputs(n):
    return torch.randn(n, 3, 128)


def _trigger(x):
    x = x.clone()
    x[:, 0, :8] = torch.tensor(CableConfig().calibration_burst)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CableForDamageClassification(CableConfig()).eval()
    reference = CableForDamageClassification(CableConfig(field_calibration=False)).eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(16)))["logits"].argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
