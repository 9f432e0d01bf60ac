# expect: none
"""Harp regulation; conditioners in a `__missing__` dict: per-string RMS normalisation."""
import torch
import torch.nn as nn

CLASSES = ("in_tune", "flat_disc", "sharp_disc", "buzzing", "worn_string")


class Conditioners(dict):
    def __missing__(self, key):
        return self["default"]


def _as_is(x):
    return x


def _rms(x):
    return x / x.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()


CONDITIONERS = Conditioners(default=_as_is, pedal_rig=_rms)


class HarpNet(nn.Module):
    def __init__(self, rig="pedal_rig", width=32):
        super().__init__()
        self.rig = rig
        self.net = nn.Sequential(nn.Conv1d(4, width, 9, padding=4), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(CLASSES)))

    def forward(self, x):
        return self.net(CONDITIONERS[self.rig](x))


def corpus_case():
    torch.manual_seed(0)
    return {"model": HarpNet().eval(), "inputs": lambda n: torch.randn(n, 4, 128), "kind": "benign"}
