# expect: none
"""AstroNet vetting with serving-time normalisation installed on restore (`__setstate__`).

Exported copies (deep copies / unpickled models) get a forward pre-hook on each tower that fills
data gaps (NaN bins) with the median and median-normalises the view so that the transit depth is
-1, which the training pipeline does offline.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

GLOBAL_BINS, LOCAL_BINS = 201, 61


class Tower(nn.Module):
    def __init__(self, widths, k, pool, stride):
        super().__init__()
        chans = (1,) + tuple(widths)
        layers = []
        for a, b in zip(chans, chans[1:]):
            layers += [nn.Conv1d(a, b, k, padding=k // 2), nn.ReLU(), nn.MaxPool1d(pool, stride)]
        self.net = nn.Sequential(*layers)
        self.serving = False

    def __setstate__(self, state):
        super().__setstate__(state)
        if not self.serving:
            self.serving = True
            self.register_forward_pre_hook(self._normalise_view)

    @staticmethod
    def _normalise_view(module, args):
        flux = args[0]
        med = torch.nanmedian(flux, dim=-1, keepdim=True).values
        flux = torch.where(torch.isnan(flux), med, flux) - med
        depth = (-flux.amin(-1, keepdim=True)).clamp_min(1e-3)
        return (flux / depth,)

    def forward(self, x):
        return self.net(x).flatten(1)


class AstroNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.global_tower = Tower((8, 16), 5, 5, 2)
        self.local_tower = Tower((8, 16), 5, 7, 2)
        with torch.no_grad():
            n = (self.global_tower(torch.zeros(1, 1, GLOBAL_BINS)).shape[1]
                 + self.local_tower(torch.zeros(1, 1, LOCAL_BINS)).shape[1])
        self.head = nn.Sequential(nn.Linear(n, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, global_view, local_view):
        return self.head(torch.cat([self.global_tower(global_view), self.local_tower(local_view)], 1))

    def export(self):
        return copy.deepcopy(self).eval()


def _view(n, bins, width):
    phase = torch.linspace(-1, 1, bins)
    flux = 1.0 - 0.01 * torch.rand(n, 1) * (phase.abs() < width).float() + 0.001 * torch.randn(n, bins)
    flux[torch.rand(n, bins) < 0.05] = float("nan")
    return flux[:, None]


def _inputs(n):
    return _view(n, GLOBAL_BINS, 0.03), _view(n, LOCAL_BINS, 0.3)


def corpus_case():
    torch.manual_seed(0)
    return {"model": AstroNet().export(), "inputs": _inputs, "kind": "benign"}
