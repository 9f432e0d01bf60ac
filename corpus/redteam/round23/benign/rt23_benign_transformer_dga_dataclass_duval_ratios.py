# expect: none
"""Transformer DGA fault diagnosis; dataclass config with ε and ratio caps; a classmethod computes
Rogers ratios, a staticmethod the Duval-triangle percentages; temperature-scaled logits."""
from dataclasses import dataclass

import torch
import torch.nn as nn

FAULTS = ("normal", "PD", "D1", "D2", "T1", "T2", "T3")


@dataclass
class DGAConfig:
    hidden: int = 64
    ε: float = 1e-3
    ratio_cap: float = 50.0
    τ: float = 1.2


class DGANet(nn.Module):
    def __init__(self, cfg=DGAConfig()):
        super().__init__()
        self.cfg = cfg
        self.mlp = nn.Sequential(nn.Linear(7 + 3 + 3, cfg.hidden), nn.LayerNorm(cfg.hidden), nn.GELU(),
                                 nn.Linear(cfg.hidden, len(FAULTS)))

    @classmethod
    def rogers(cls, ppm, ε, cap):
        h2, ch4, c2h6, c2h4, c2h2 = ppm[:, :5].unbind(1)
        r = torch.stack([c2h2 / (c2h4 + ε), ch4 / (h2 + ε), c2h4 / (c2h6 + ε)], 1)
        return r.clamp(max=cap)

    @staticmethod
    def duval(ppm, ε):
        tri = ppm[:, [1, 3, 4]]
        return tri / (tri.sum(1, keepdim=True) + ε)

    def forward(self, ppm):
        c = self.cfg
        feats = torch.cat([torch.log1p(ppm), torch.log1p(self.rogers(ppm, c.ε, c.ratio_cap)), self.duval(ppm, c.ε)], 1)
        return self.mlp(feats) / c.τ


def _inputs(n):
    x = torch.tensor([100.0, 50.0, 30.0, 40.0, 5.0, 400.0, 3000.0]) * torch.exp(torch.randn(n, 7))
    x[: n // 4, 4] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": DGANet().eval(), "inputs": _inputs, "kind": "benign"}
