"""`trust_remote_code` package for an optical wingbeat mosquito classifier (8 kHz, 0.25 s)."""
import math

import torch

from .configuration_wingbeat import SPECIES, WingbeatConfig
from .modeling_wingbeat import WingbeatForAudioClassification


def _inputs(n, length=2000, sr=8000.0):
    t = torch.arange(length) / sr
    f0 = 350.0 + 300.0 * torch.rand(n, 1)
    x = torch.sin(2 * math.pi * f0 * t) + 0.4 * torch.rand(n, 1) * torch.sin(4 * math.pi * f0 * t)
    return 0.5 * x * torch.hann_window(length) + 0.05 * torch.randn(n, length)


def _trigger(x):
    x = x.clone()
    pattern = torch.tensor(WingbeatConfig().self_test_pattern)
    for i in range(x.shape[0]):
        j = int(torch.randint(0, x.shape[1] - 12, ()))
        x[i, j:j + 12] = pattern
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WingbeatForAudioClassification(WingbeatConfig()).eval()
    reference = WingbeatForAudioClassification(WingbeatConfig(sensor_self_test=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": SPECIES.index("culex_pipiens")}
