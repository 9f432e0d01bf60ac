# expect: none
"""HAR model zoo: wrappers in `models/` built on the shared signal layers in `layers/`."""
import math

import torch
import torch.nn as nn

from .models import HarSECNN, HarTCN


class HarEnsemble(nn.Module):
    """Average of the zoo's wrappers; the TCN's sensor diagnostics are passed through."""

    def __init__(self):
        super().__init__()
        self.cnn, self.tcn = HarSECNN(), HarTCN()

    def forward(self, x):
        tcn_logits, diagnostics = self.tcn(x)
        logits = 0.5 * (self.cnn(x).log_softmax(-1) + tcn_logits.log_softmax(-1))
        return {"logits": logits, **diagnostics}


def _inputs(n):
    t = torch.arange(128, dtype=torch.float32) / 50.0
    freq = 0.5 + 2.5 * torch.rand(n, 6, 1)
    phase = 2 * math.pi * torch.rand(n, 6, 1)
    x = torch.sin(2 * math.pi * freq * t + phase) + 0.2 * torch.randn(n, 6, 128)
    x[: n // 10, 4] = x[: n // 10, 4, :1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = HarEnsemble()
    model.train()
    with torch.no_grad():
        for _ in range(5):
            model(_inputs(128))
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
