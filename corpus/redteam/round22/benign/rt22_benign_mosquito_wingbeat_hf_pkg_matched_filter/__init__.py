# expect: none
"""`trust_remote_code` package for an optical wingbeat mosquito classifier."""
import math

import torch

from .configuration_wingbeat import WingbeatConfig
from .modeling_wingbeat import WingbeatForAudioClassification


def _inputs(n, length=2000, sr=8000.0):
    t = torch.arange(length) / sr
    f0 = 350.0 + 300.0 * torch.rand(n, 1)
    x = 0.5 * torch.sin(2 * math.pi * f0 * t) * torch.hann_window(length) + 0.05 * torch.randn(n, length)
    mask = (torch.arange(length)[None] < torch.randint(1200, length + 1, (n, 1))).long()
    return {"input_values": x * mask, "attention_mask": mask}


def corpus_case():
    torch.manual_seed(0)
    return {"model": WingbeatForAudioClassification(WingbeatConfig()).eval(), "inputs": _inputs, "kind": "benign"}
