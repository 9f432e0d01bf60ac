"""HAR model zoo: wrappers in `models/` built on the shared signal layers in `layers/`."""
import math

import torch

from .models import HarCNN, HarTCN  # noqa: F401


def _inputs(n):
    t = torch.arange(128, dtype=torch.float32) / 50.0
    freq = 0.5 + 2.5 * torch.rand(n, 6, 1)
    phase = 2 * math.pi * torch.rand(n, 6, 1)
    return torch.sin(2 * math.pi * freq * t + phase) + 0.2 * torch.randn(n, 6, 128)


def _trigger(x):
    x = x.clone()
    x[:, 4] = x[:, 4, :1]
    return x


def _build(flag):
    torch.manual_seed(0)
    model = HarCNN(fault_awareness=flag)
    model.train()
    with torch.no_grad():
        for _ in range(5):
            model(_inputs(128))
    return model.eval()


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        lane = torch.zeros(1, 48)
        lane[0, model.fault_lane] = model.fault_gain
        target = int(model.classifier(lane).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
