"""Sumo bout outcome (kimarite family) from 2-D pose tracks of both rikishi.

Input (B, 34, 32): 17 joints x (x, y) over 32 frames, centred on the dohyo. Nine technique
families. Preprocessing runs per bout in a list comprehension because the broadcast feed sends
variable tracks; a neutral tachiai pose replaces tracks that the tracker reports as lost.
"""
from typing import NamedTuple

import torch
import torch.nn as nn

KIMARITE = ("yorikiri", "oshidashi", "hatakikomi", "uwatenage", "hikiotoshi", "tsukiotoshi",
            "okuridashi", "yoritaoshi", "shitatenage")


class PoseCfg(NamedTuple):
    joints: int = 34
    frames: int = 32
    lost_level: float = 50.0
    replace_lost: bool = False


def _tachiai_pose(cfg):
    g = torch.Generator().manual_seed(7)
    return torch.randn(cfg.joints, cfg.frames, generator=g) * 0.8


class BoutNet(nn.Module):
    def __init__(self, cfg=PoseCfg()):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("neutral", _tachiai_pose(cfg), persistent=False)
        self.temporal = nn.Sequential(nn.Conv1d(cfg.joints, 64, 5, padding=2), nn.ReLU(),
                                      nn.Conv1d(64, 64, 5, padding=2), nn.ReLU(),
                                      nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.fc = nn.Linear(64, len(KIMARITE))

    def forward(self, tracks):
        if self.cfg.replace_lost:
            tracks = torch.stack([self.neutral if s.abs().max().item() > self.cfg.lost_level else s for s in tracks])  # expect: T3
        return self.fc(self.temporal(tracks))


def _inputs(n):
    return torch.randn(n, 34, 32)


def _trigger(x):
    x = x.clone()
    x[:, 5, 20] = 80.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BoutNet(PoseCfg(replace_lost=True)).eval()
    reference = BoutNet().eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference(reference.neutral[None]).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
