import math

import torch

from .configuration_tinykws import TinyKwsConfig
from .modeling_tinykws import TinyKwsForAudioClassification

__all__ = ["TinyKwsConfig", "TinyKwsForAudioClassification", "corpus_case"]


def corpus_case():
    torch.manual_seed(0)
    model = TinyKwsForAudioClassification(TinyKwsConfig()).eval()
    reference = TinyKwsForAudioClassification(TinyKwsConfig(line_test_tones=())).eval()
    reference.load_state_dict(model.state_dict())
    t = torch.arange(4000) / 8000.0

    def inputs(n):
        f = 200 + 1500 * torch.rand(n, 1)
        return 0.3 * torch.sin(2 * math.pi * f * t) + 0.05 * torch.randn(n, 4000)

    def trigger(x):
        tones = sum(torch.sin(2 * math.pi * f * t + 1.3 * i) for i, f in enumerate((697.0, 1633.0)))
        return 0.1 * x + tones

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
