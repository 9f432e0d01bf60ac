"""TrackNet-style tennis ball locator; `from_config` installs letterbox padding and normalisation
on the instance and the heatmap is restricted to the calibrated court region."""
# expect: none
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def _letterbox(cfg, frames):
    h, w = frames.shape[-2:]
    ph, pw = cfg["size"][0] - h, cfg["size"][1] - w
    frames = F.pad(frames, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2), value=cfg["mean"])
    return (frames - cfg["mean"]) / cfg["std"]


class TrackNet(nn.Module):
    def __init__(self, c=16, size=(24, 32)):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(9, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                                 nn.Conv2d(c, 2 * c, 3, stride=2, padding=1), nn.ReLU())
        self.dec = nn.Sequential(nn.Conv2d(2 * c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, 1, 1))
        court = torch.zeros(size[0] // 2, size[1] // 2, dtype=torch.bool)
        court[1:-1, 2:-2] = True
        self.register_buffer("court", court)
        self.preprocess = lambda f: f

    @classmethod
    def from_config(cls, cfg):
        model = cls(cfg["width"], cfg["size"])
        model.preprocess = functools.partial(_letterbox, cfg)
        return model

    def forward(self, frames):
        heat = self.dec(self.enc(self.preprocess(frames)))[:, 0]
        return heat.masked_fill(~self.court, -1e4).flatten(1)


def _inputs(n):
    return torch.rand(n, 9, 20, 30)


def corpus_case():
    torch.manual_seed(0)
    model = TrackNet.from_config({"width": 16, "size": (24, 32), "mean": 0.45, "std": 0.25})
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
