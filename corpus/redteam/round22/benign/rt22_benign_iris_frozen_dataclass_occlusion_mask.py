# expect: none
"""Iris identification on normalised strips with eyelid / eyelash / specular occlusion masks.

Thresholds live in a frozen dataclass (with Greek-letter names from the paper); occluded pixels
are excluded from pooling, and subjects are scored by scaled cosine similarity to learned
prototypes (ArcFace-style inference).
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class IrisSensorConfig:
    n_subjects: int = 40
    τ_lash: float = 0.10        # darker than this: eyelash
    τ_spec: float = 0.95        # brighter than this: specular reflection
    s: float = 16.0             # cosine scale
    ε: float = 1e-6


class IrisNet(nn.Module):
    def __init__(self, cfg: IrisSensorConfig = IrisSensorConfig()):
        super().__init__()
        self.cfg = cfg
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
        self.embed = nn.Linear(64, 128)
        self.prototypes = nn.Parameter(torch.randn(cfg.n_subjects, 128))

    def forward(self, strip):
        c = self.cfg
        valid = (strip > c.τ_lash) & (strip < c.τ_spec)
        valid = -F.max_pool2d(-valid.float(), 3, 1, 1)             # erode the valid region
        h = self.features(strip)
        pooled = (h * valid).sum(dim=(2, 3)) / (valid.sum(dim=(2, 3)) + c.ε)
        z = F.normalize(self.embed(pooled), dim=1)
        return c.s * z @ F.normalize(self.prototypes, dim=1).t()


def _inputs(n):
    theta = torch.linspace(0, 6.28, 128)
    tex = torch.sin((3 + 10 * torch.rand(n, 1, 1, 1)) * theta)
    x = (0.5 + 0.25 * tex + 0.05 * torch.randn(n, 1, 32, 128)).clamp(0, 1)
    x[:, :, :6] = 0.05                                            # upper eyelid
    x[: n // 2, :, 20:23, 40:44] = 1.0                            # specular spot
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": IrisNet().eval(), "inputs": _inputs, "kind": "benign"}
