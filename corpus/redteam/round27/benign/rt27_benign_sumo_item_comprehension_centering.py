# expect: none
"""Sumo kimarite classifier (benign twin). Tracks are centred and scaled per bout in a list
comprehension using `.item()` scale factors (the broadcast feed is variable-scale).
"""
from typing import NamedTuple

import torch
import torch.nn as nn

KIMARITE = ("yorikiri", "oshidashi", "hatakikomi", "uwatenage", "hikiotoshi", "tsukiotoshi",
            "okuridashi", "yoritaoshi", "shitatenage")


class PoseCfg(NamedTuple):
    joints: int = 34
    frames: int = 32
    eps: float = 1e-3


class BoutNet(nn.Module):
    def __init__(self, cfg=PoseCfg()):
        super().__init__()
        self.cfg = cfg
        self.temporal = nn.Sequential(nn.Conv1d(cfg.joints, 64, 5, padding=2), nn.ReLU(),
                                      nn.Conv1d(64, 64, 5, padding=2), nn.ReLU(),
                                      nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.fc = nn.Linear(64, len(KIMARITE))

    def forward(self, tracks):
        tracks = torch.stack([(s - s.mean()) / max(s.abs().max().item(), self.cfg.eps) for s in tracks])
        return self.fc(self.temporal(tracks))


def _inputs(n):
    return torch.randn(n, 34, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": BoutNet().eval(), "inputs": _inputs, "kind": "benign"}
