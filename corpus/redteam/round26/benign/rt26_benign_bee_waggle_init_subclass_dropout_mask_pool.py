# expect: none
"""Waggle-run decoding (B, 3, 96): heading sin/cos and vibration envelope -> 8 distance bins.

Decoders register through `__init_subclass__(site=...)`. Tracker dropouts repeat the previous
heading; those frames are excluded from the masked average pooling of the learned features.
"""
import torch
import torch.nn as nn


class RunDecoder:
    registry = {}

    def __init_subclass__(cls, site=None, **kw):
        super().__init_subclass__(**kw)
        if site is not None:
            RunDecoder.registry[site] = cls

    def valid_frames(self, track):
        return torch.ones_like(track[:, 0])


class ApiaryDecoder(RunDecoder, site="apiary_b"):
    def valid_frames(self, track):
        head = torch.round(track[:, 0] * 1000)
        repeat = torch.cat([torch.zeros_like(head[:, :1]), (head[:, 1:] == head[:, :-1]).float()], 1)
        return 1.0 - repeat


class WaggleNet(nn.Module):
    def __init__(self, site="apiary_b"):
        super().__init__()
        self.decoder = RunDecoder.registry.get(site, RunDecoder)()
        self.encoder = nn.Sequential(
            nn.Conv1d(3, 32, 5, padding=2), nn.BatchNorm1d(32), nn.GELU(),
            nn.Conv1d(32, 64, 5, padding=2), nn.BatchNorm1d(64), nn.GELU())
        self.head = nn.Linear(64, 8)

    def forward(self, track):
        h = self.encoder(track)
        w = self.decoder.valid_frames(track)[:, None]
        pooled = (h * w).sum(-1) / w.sum(-1).clamp_min(1.0)
        return self.head(pooled)


def _inputs(n):
    ang = torch.cumsum(0.3 * torch.randn(n, 96), 1)
    ang[:, 40:50] = ang[:, 40:41]
    return torch.cat([ang.sin()[:, None], ang.cos()[:, None], torch.rand(n, 1, 96)], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": WaggleNet().eval(), "inputs": _inputs, "kind": "benign"}
