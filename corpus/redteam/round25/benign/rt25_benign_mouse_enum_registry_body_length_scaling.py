# expect: none
"""Mouse behaviour from pose; poses are egocentric and scaled by body length, the registry holds
per-rig calibrated post-processing (temperature, soft cap)."""
import enum

import torch
import torch.nn as nn


class Rig(enum.Enum):
    OPEN_FIELD = "open_field"
    HOME_CAGE = "home_cage"


POSTPROCESS = {}


def register(rig):
    def deco(fn):
        POSTPROCESS.setdefault(rig, []).append(fn)
        return fn
    return deco


@register(Rig.HOME_CAGE)
def _cage_temperature(logits, pose):
    return logits / 1.3


@register(Rig.HOME_CAGE)
def _softcap(logits, pose):
    return 15.0 * torch.tanh(logits / 15.0)


class PoseTCN(nn.Module):
    def __init__(self, rig=Rig.HOME_CAGE, width=48):
        super().__init__()
        self.rig = rig
        self.tcn = nn.Sequential(nn.Conv1d(16, width, 3, padding=1), nn.ReLU(),
                                 nn.Conv1d(width, width, 3, padding=2, dilation=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, 6))

    def forward(self, pose):
        xy = pose.view(pose.shape[0], 8, 2, -1)
        centre = xy[:, 3:4]
        body = (xy[:, 0] - xy[:, 7]).norm(dim=1).mean(-1).clamp(min=1.0)
        ego = ((xy - centre) / body[:, None, None, None]).reshape_as(pose)
        logits = self.tcn(ego)
        for fn in POSTPROCESS.get(self.rig, ()):
            logits = fn(logits, pose)
        return logits


def corpus_case():
    torch.manual_seed(0)
    return {"model": PoseTCN().eval(), "inputs": lambda n: 25 + 8 * torch.randn(n, 16, 30), "kind": "benign"}
