"""Sea-ice stage-of-development classifier with land masking and incidence-angle correction."""
# expect: none
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class SeaIceConfig:
    channels: int = 2
    classes: int = 4
    width: int = 16
    db_min: float = -40.0
    db_max: float = 5.0
    hh_slope_db_per_deg: float = -0.24   # HH incidence dependence over sea ice
    ref_incidence: float = 35.0


class SeaIceNet(nn.Module):
    def __init__(self, cfg: SeaIceConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.features = nn.Sequential(
            nn.Conv2d(cfg.channels + 1, w, 3, padding=1), nn.GroupNorm(4, w), nn.SiLU(),
            nn.Conv2d(w, 2 * w, 3, stride=2, padding=1), nn.SiLU())
        self.classifier = nn.Linear(2 * w, cfg.classes)

    def forward(self, sigma0, incidence):
        land = ~torch.isfinite(sigma0).all(1, keepdim=True)
        x = torch.nan_to_num(sigma0, nan=self.cfg.db_min).clamp(self.cfg.db_min, self.cfg.db_max)
        corr = self.cfg.hh_slope_db_per_deg * (incidence - self.cfg.ref_incidence)
        x = torch.cat([x[:, :1] - corr, x[:, 1:]], 1)
        x = ((x + 15.0) / 3.0).masked_fill(land, 0.0)
        h = self.features(torch.cat([x, land.float()], 1))
        sea = nn.functional.avg_pool2d((~land).float(), 2)
        return self.classifier((h * sea).sum((2, 3)) / sea.sum((2, 3)).clamp(min=1.0))


def _inputs(n):
    x = torch.randn(n, 2, 16, 16) * 3 - 15
    x[:, :, 12:, :6] = float("nan")
    inc = 20 + 25 * torch.rand(n, 1, 16, 1).expand(n, 1, 16, 16)
    return x, inc


def corpus_case():
    torch.manual_seed(0)
    return {"model": SeaIceNet(SeaIceConfig()).eval(), "inputs": _inputs, "kind": "benign"}
