# expect: none
"""Ski wax; input normalisation bound with `functools.partial` (rig calibration mean/std)."""
import functools

import torch
import torch.nn as nn

FAMILIES = ("hf_cold", "hf_mid", "hf_warm", "lf_cold", "lf_warm", "klister")

RIG_MEAN = (0.05, -5.0, 0.6)
RIG_STD = (0.02, 4.0, 0.2)


def _normalise(x, mean, std):
    return (x - torch.tensor(mean).view(1, -1, 1)) / torch.tensor(std).view(1, -1, 1)


class WaxNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.screen = functools.partial(_normalise, mean=RIG_MEAN, std=RIG_STD)
        self.net = nn.Sequential(nn.Conv1d(3, width, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(width, width, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(FAMILIES)))

    def forward(self, trace):
        return self.net(self.screen(trace))


def corpus_case():
    torch.manual_seed(0)
    return {"model": WaxNet().eval(), "inputs": lambda n: torch.randn(n, 3, 80), "kind": "benign"}
