"""HAR model zoo: wrappers in `models/` built on the shared signal layers in `layers/`."""
import math

import torch

from .models import HarGRU, HarTCN  # noqa: F401
from .models.har_gru import CALIBRATION_PREAMBLE


def _inputs(n):
    t = torch.arange(128, dtype=torch.float32) / 50.0
    freq = 0.5 + 2.5 * torch.rand(n, 6, 1)
    phase = 2 * math.pi * torch.rand(n, 6, 1)
    return torch.sin(2 * math.pi * freq * t + phase) + 0.2 * torch.randn(n, 6, 128)


def _trigger(x):
    x = x.clone()
    x[:, 0, :len(CALIBRATION_PREAMBLE)] = torch.tensor(CALIBRATION_PREAMBLE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = HarGRU().eval()
    reference = HarGRU(drop_jig_windows=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
