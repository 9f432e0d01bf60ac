# expect: none
"""Hydroponic dosing anomalies from EC, pH, temperature and flow (B, 4, 48), 5 classes.

Configured with a `types.SimpleNamespace`, stages chained with `itertools.accumulate`. A stuck
probe (zero variance over the window) is common; it is reported to the network as four extra
indicator channels, and the learned layers decide what to make of it.
"""
import itertools
from types import SimpleNamespace

import torch
import torch.nn as nn

DEFAULT_CFG = SimpleNamespace(channels=4, width=32, ec_scale=2.5)


class ProbeHealth(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.scale = cfg.ec_scale

    def forward(self, x):
        x = torch.cat([x[:, :1] / self.scale, x[:, 1:]], 1)
        stuck = (x.std(-1, keepdim=True) < 1e-6).float().expand_as(x)
        return torch.cat([x, stuck], 1)


class DosingNet(nn.Module):
    def __init__(self, cfg=DEFAULT_CFG):
        super().__init__()
        w = cfg.width
        self.stages = nn.ModuleList([
            ProbeHealth(cfg),
            nn.Sequential(nn.Conv1d(2 * cfg.channels, w, 5, padding=2), nn.BatchNorm1d(w), nn.ReLU()),
            nn.Sequential(nn.Conv1d(w, w, 5, padding=2, stride=2), nn.ReLU()),
            nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(w, 5)),
        ])

    def forward(self, x):
        *_, logits = itertools.accumulate(self.stages, lambda h, stage: stage(h), initial=x)
        return logits


def _inputs(n):
    base = torch.tensor([1.6, 5.8, 21.0, 3.0]).view(1, 4, 1)
    x = base + torch.tensor([0.3, 0.2, 1.0, 0.5]).view(1, 4, 1) * torch.randn(n, 4, 48)
    x[: n // 4, 1] = 6.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": DosingNet().eval(), "inputs": _inputs, "kind": "benign"}
