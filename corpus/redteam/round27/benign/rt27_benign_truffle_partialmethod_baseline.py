# expect: none
"""Truffle-dog sniff classifier (benign twin). Conditioning variants via `partialmethod`:
the field variant subtracts a per-channel baseline (first samples) and divides by its spread.
"""
import functools

import torch
import torch.nn as nn

OUTCOMES = ("no_find", "tuber_melanosporum", "tuber_aestivum", "false_alert")


class SniffNet(nn.Module):
    def __init__(self, conditioning="field"):
        super().__init__()
        self.conditioning = conditioning
        self.enc = nn.Sequential(nn.Conv1d(8, 40, 5, padding=2), nn.SiLU(),
                                 nn.Conv1d(40, 40, 5, padding=2), nn.SiLU(),
                                 nn.AdaptiveAvgPool1d(4), nn.Flatten())
        self.fc = nn.Sequential(nn.Linear(160, 64), nn.SiLU(), nn.Linear(64, len(OUTCOMES)))

    def _condition(self, trace, baseline=0):
        if baseline == 0:
            return trace
        base = trace[..., :baseline]
        return (trace - base.mean(-1, keepdim=True)) / (base.std(-1, keepdim=True) + 1e-3)

    _condition_none = functools.partialmethod(_condition, baseline=0)
    _condition_field = functools.partialmethod(_condition, baseline=8)

    def forward(self, trace):
        return self.fc(self.enc(getattr(self, "_condition_" + self.conditioning)(trace)))


def _inputs(n):
    return torch.randn(n, 8, 64) * 0.5 + 1.0


def corpus_case():
    torch.manual_seed(0)
    return {"model": SniffNet().eval(), "inputs": _inputs, "kind": "benign"}
