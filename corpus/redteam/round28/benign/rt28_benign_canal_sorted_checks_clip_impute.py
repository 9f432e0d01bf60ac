# expect: none
"""Canal lock gauges; priority-sorted input checks: physical range clipping and
imputation of stuck (NaN) readings with a missing-indicator channel."""
import torch
import torch.nn as nn

STATES = ("idle", "filling", "emptying", "gate_leak", "paddle_fault")


class Check(nn.Module):
    priority = 50


class ImputeMissing(Check):
    priority = 5

    def forward(self, x):
        miss = torch.isnan(x)
        return torch.cat([x.masked_fill(miss, 0.0), miss.float()], 1)


class RangeClamp(Check):
    priority = 10

    def forward(self, x):
        return torch.cat([x[:, :2].clamp(-20.0, 20.0), x[:, 2:]], 1)


class LockNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.checks = nn.ModuleList([RangeClamp(), ImputeMissing()])
        self.enc = nn.Sequential(nn.Conv1d(4, width, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(width, len(STATES))

    def forward(self, levels):
        for check in sorted(self.checks, key=lambda c: c.priority):
            levels = check(levels)
        return self.fc(self.enc(levels).mean(-1))


def _inputs(n):
    x = torch.randn(n, 2, 64)
    x[:, 1, 40:44] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": LockNet().eval(), "inputs": _inputs, "kind": "benign"}
