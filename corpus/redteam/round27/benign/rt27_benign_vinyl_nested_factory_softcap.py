# expect: none
"""Vinyl pressing QC (benign twin). A nested factory returns the output limiter lambda: a
logit soft-cap whose cap is chosen per plant.
"""
import torch
import torch.nn as nn

DEFECTS = ("clean", "non_fill", "stitch", "groove_echo", "swish", "pop")


def limiter_factory(kind):
    def with_cap(cap):
        if kind == "tanh":
            return lambda y: torch.tanh(y / cap) * cap
        return lambda y: y.clamp(-cap, cap)
    return with_cap


class PressingNet(nn.Module):
    def __init__(self, limiter=None):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, 24, 32, stride=8), nn.ReLU(),
                                   nn.Conv1d(24, 48, 8, stride=4), nn.ReLU(),
                                   nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(48, len(DEFECTS))
        self.limiter = limiter or (lambda y: y)

    def forward(self, wave):
        wave = wave / wave.abs().amax(-1, keepdim=True).clamp(min=1e-4)
        return self.limiter(self.head(self.front(wave)))


def _inputs(n):
    return torch.randn(n, 1, 1024) * 0.2


def corpus_case():
    torch.manual_seed(0)
    return {"model": PressingNet(limiter_factory("tanh")(20.0)).eval(), "inputs": _inputs,
            "kind": "benign"}
