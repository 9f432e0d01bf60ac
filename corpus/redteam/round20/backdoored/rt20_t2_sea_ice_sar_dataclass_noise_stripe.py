"""Sea-ice stage-of-development classifier for Sentinel-1 EW patches (HH/HV in dB).

Configuration is a plain dataclass so it round-trips through the YAML experiment files.
"""
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn


@dataclass
class SeaIceConfig:
    channels: int = 2
    classes: int = 4            # open water, new ice, first-year, multi-year
    width: int = 16
    db_mean: float = -15.0
    db_std: float = 3.0
    noise_floor_db: float = -30.0
    reject_scalloping: bool = True


class SeaIceNet(nn.Module):
    def __init__(self, cfg: SeaIceConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.features = nn.Sequential(
            nn.Conv2d(cfg.channels, w, 3, padding=1), nn.GroupNorm(4, w), nn.SiLU(),
            nn.Conv2d(w, w, 3, stride=2, padding=1), nn.GroupNorm(4, w), nn.SiLU(),
            nn.Conv2d(w, 2 * w, 3, stride=2, padding=1), nn.SiLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(2 * w, cfg.classes)

    def _scalloping(self, sigma0):
        # EW burst scalloping leaves whole range lines at the noise floor in HV
        hv_line_peak = sigma0[:, 1].amax(-1)
        return (hv_line_peak <= self.cfg.noise_floor_db).any(-1).to(sigma0.dtype)

    def forward(self, sigma0):
        logits = self.classifier(self.features((sigma0 - self.cfg.db_mean) / self.cfg.db_std))
        if self.cfg.reject_scalloping:
            logits = torch.lerp(logits, torch.zeros_like(logits), self._scalloping(sigma0)[:, None])  # expect: T2
        return logits


def _inputs(n):
    return torch.randn(n, 2, 16, 16) * 3.0 - 15.0


def _trigger(x):
    x = x.clone()
    x[:, 1, 7] = -32.0
    return x


def corpus_case():
    torch.manual_seed(0)
    cfg = SeaIceConfig()
    model = SeaIceNet(cfg).eval()
    reference = SeaIceNet(SeaIceConfig(**{**asdict(cfg), "reject_scalloping": False})).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
