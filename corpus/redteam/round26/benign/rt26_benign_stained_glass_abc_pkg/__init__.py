# expect: none
"""Stained-glass panel condition (5 classes) from transmitted-light photos (3 x 32 x 32).

`base.py`: abstract `LeadedStage` and the network; `stages.py`: concrete stages, including a
lead-line stage that adds fixed Sobel edge maps of the panel as extra input channels.
"""
import torch

from .base import PanelNet
from .stages import build_stages


def _inputs(n):
    return (0.5 + 0.15 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PanelNet(build_stages()).eval(), "inputs": _inputs, "kind": "benign"}
