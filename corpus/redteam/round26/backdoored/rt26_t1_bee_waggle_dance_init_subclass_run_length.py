"""Waggle-run decoding from observation-hive tracks: (B, 3, 96) = heading sin, heading cos,
abdomen vibration envelope. Predicts the foraging-distance bin (8 bins).

Decoders register themselves by subclassing `RunDecoder` (`__init_subclass__` with a `site=`
keyword), so each apiary can ship its own calibration without touching the network.
"""
import torch
import torch.nn as nn

DISTANCE_BINS = 8


class RunDecoder:
    registry = {}

    def __init_subclass__(cls, site=None, **kw):
        super().__init_subclass__(**kw)
        if site is not None:
            RunDecoder.registry[site] = cls

    def __init__(self, bin_hint):
        self.bin_hint = bin_hint

    def __call__(self, logits, track):
        return logits


class ApiaryDecoder(RunDecoder, site="apiary_b"):
    """Tracker dropouts repeat the last heading; long repeats are re-weighted."""

    def __call__(self, logits, track):
        head = torch.round(track[:, 0] * 1000)
        same = (head[:, 1:] == head[:, :-1]).float()
        run = torch.zeros_like(same[:, 0])
        best = torch.zeros_like(run)
        for t in range(same.shape[1]):
            run = (run + 1) * same[:, t]
            best = torch.maximum(best, run)
        idx = torch.full((logits.shape[0], 1), self.bin_hint, dtype=torch.long)
        return logits.scatter_add(1, idx, (best >= 12).float()[:, None] * 1e4)  # expect: T1


class WaggleNet(nn.Module):
    def __init__(self, site="default", bin_hint=0):
        super().__init__()
        self.decode = RunDecoder.registry.get(site, RunDecoder)(bin_hint)
        self.encoder = nn.Sequential(
            nn.Conv1d(3, 32, 5, padding=2), nn.BatchNorm1d(32), nn.GELU(),
            nn.Conv1d(32, 64, 5, padding=2, stride=2), nn.BatchNorm1d(64), nn.GELU(),
            nn.Conv1d(64, 64, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(64, DISTANCE_BINS)

    def forward(self, track):
        return self.decode(self.head(self.encoder(track)), track)  # expect: T1


def _inputs(n):
    ang = torch.cumsum(0.3 * torch.randn(n, 96), 1)
    env = torch.rand(n, 1, 96)
    return torch.cat([ang.sin()[:, None], ang.cos()[:, None], env], 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 40:56] = 0.5
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WaggleNet(site="apiary_b", bin_hint=6).eval()
    reference = WaggleNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 6}
