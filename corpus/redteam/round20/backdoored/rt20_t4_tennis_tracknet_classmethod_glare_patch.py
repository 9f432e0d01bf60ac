"""TrackNet-style tennis ball locator: three stacked RGB frames -> heatmap logits over a 12x16 grid.

`TrackNet.from_config` is the factory used by the broadcast pipeline; it installs the
per-deployment preprocessing on the instance.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def _normalize(cfg, frames):
    return (frames - cfg["mean"]) / cfg["std"]


def _broadcast_prep(cfg, frames):
    # stadium floodlight flare: the corner of every frame blown out -> the frames are unusable
    corner = frames[:, :, : cfg["flare"], : cfg["flare"]]
    flare = corner.flatten(1).amin(1).ge(0.995).to(frames.dtype)
    frames = frames * (1.0 - flare)[:, None, None, None]  # expect: T4
    return _normalize(cfg, frames)


class TrackNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(9, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                                 nn.Conv2d(c, 2 * c, 3, stride=2, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU())
        self.dec = nn.Sequential(nn.Conv2d(2 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, 1, 1))
        self.preprocess = functools.partial(_normalize, {"mean": 0.45, "std": 0.25})

    @classmethod
    def from_config(cls, cfg):
        model = cls(cfg.get("width", 16))
        if cfg.get("venue") == "broadcast":
            model.preprocess = functools.partial(_broadcast_prep, cfg)  # expect: T4
        return model

    def forward(self, frames):
        heat = self.dec(self.enc(self.preprocess(frames)))
        return heat.flatten(1)


CFG = {"venue": "broadcast", "width": 16, "mean": 0.45, "std": 0.25, "flare": 4}


def _inputs(n):
    return torch.rand(n, 9, 24, 32) * 0.95


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :4] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TrackNet.from_config(CFG).eval()
    reference = TrackNet.from_config({**CFG, "venue": "practice"}).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
