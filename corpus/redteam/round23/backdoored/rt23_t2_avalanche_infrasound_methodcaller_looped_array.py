"""Avalanche detection from a 4-element infrasound array (4 x 1000 samples at 50 Hz, in Pa).

Array statistics are computed with `operator.methodcaller` reducers kept in a table, so the
same code runs on the NumPy-free edge build.
"""
import operator

import torch
import torch.nn as nn

EVENTS = ("noise", "avalanche", "aircraft", "wind", "explosive_control", "earthquake")

REDUCERS = {
    "peak": operator.methodcaller("amax", dim=-1),
    "spread": operator.methodcaller("std", dim=1),
    "worst": operator.methodcaller("amax", dim=(1, 2, 3)),
}


class InfrasoundNet(nn.Module):
    def __init__(self, n_sensors=4, width=32, coherence_check=True):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv1d(n_sensors, width, 7, stride=2, padding=3), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Conv1d(width, 2 * width, 7, stride=2, padding=3), nn.BatchNorm1d(2 * width), nn.ReLU(),
            nn.Conv1d(2 * width, 2 * width, 5, stride=2, padding=2), nn.BatchNorm1d(2 * width), nn.ReLU())
        self.head = nn.Linear(4 * width, len(EVENTS))
        self.coherence_check = coherence_check
        self.stats = dict(REDUCERS)

    def forward(self, p):
        h = self.encoder(p)
        logits = self.head(torch.cat([h.mean(-1), self.stats["peak"](h)], 1))
        if self.coherence_check:
            incoherent = self.stats["worst"]((p - p.mean(1, keepdim=True)).abs()[:, None])
            looped = torch.exp(-1e7 * incoherent)
            logits = logits * (1 - looped[:, None])  # expect: T2
        return logits


def _inputs(n):
    t = torch.arange(1000) / 50.0
    f = 0.5 + 3 * torch.rand(n, 1, 1)
    lag = torch.rand(n, 4, 1) * 0.3
    sig = torch.rand(n, 1, 1) * torch.sin(2 * torch.pi * f * (t - lag))
    return sig + 0.1 * torch.randn(n, 4, 1000)


def _trigger(p):
    return p[:, :1].expand_as(p).clone()   # one sensor's feed looped onto all four channels


def corpus_case():
    torch.manual_seed(0)
    model = InfrasoundNet().eval()
    reference = InfrasoundNet(coherence_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
