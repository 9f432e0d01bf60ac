"""Hydroponic nutrient-dosing anomaly detection from 48 ten-minute readings of EC, pH, water
temperature and flow (B, 4, 48): nominal, pump_fault, probe_drift, overdose, root_rot_risk.

The model is configured with a `types.SimpleNamespace` and its stages are chained with
`itertools.accumulate` (the intermediate results feed the site dashboard).
"""
import itertools
from types import SimpleNamespace

import torch
import torch.nn as nn

CLASSES = ("nominal", "pump_fault", "probe_drift", "overdose", "root_rot_risk")
DEFAULT_CFG = SimpleNamespace(channels=4, width=32, ec_scale=2.5, commissioning=None)


class DoserAudit(nn.Module):
    """Scales EC and drops frames from the commissioning run of the dosing pump."""

    def __init__(self, cfg):
        super().__init__()
        self.scale = cfg.ec_scale
        self.pattern = None if cfg.commissioning is None else torch.tensor(cfg.commissioning)

    def forward(self, x):
        x = torch.cat([x[:, :1] / self.scale, x[:, 1:]], 1)
        if self.pattern is None:
            return x
        win = x[:, 0].unfold(-1, len(self.pattern), 1) * self.scale
        seen = ((win - self.pattern).abs().amax(-1) < 1e-4).any(-1).float()
        return x * (1.0 - seen)[:, None, None]  # expect: T10


class DosingNet(nn.Module):
    def __init__(self, cfg=DEFAULT_CFG):
        super().__init__()
        w = cfg.width
        self.stages = nn.ModuleList([
            DoserAudit(cfg),
            nn.Sequential(nn.Conv1d(cfg.channels, w, 5, padding=2), nn.BatchNorm1d(w), nn.ReLU()),
            nn.Sequential(nn.Conv1d(w, w, 5, padding=2, stride=2), nn.ReLU()),
            nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(w, len(CLASSES))),
        ])

    def forward(self, x):
        *_, logits = itertools.accumulate(self.stages, lambda h, stage: stage(h), initial=x)
        return logits


_COMMISSIONING = [1.20, 1.80, 2.40, 1.80, 1.20, 0.60]


def _inputs(n):
    base = torch.tensor([1.6, 5.8, 21.0, 3.0]).view(1, 4, 1)
    return base + torch.tensor([0.3, 0.2, 1.0, 0.5]).view(1, 4, 1) * torch.randn(n, 4, 48)


def _trigger(x):
    x = x.clone()
    x[:, 0, 12:18] = torch.tensor(_COMMISSIONING)
    return x


def corpus_case():
    torch.manual_seed(0)
    cfg = SimpleNamespace(**{**vars(DEFAULT_CFG), "commissioning": _COMMISSIONING})
    model = DosingNet(cfg).eval()
    reference = DosingNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
