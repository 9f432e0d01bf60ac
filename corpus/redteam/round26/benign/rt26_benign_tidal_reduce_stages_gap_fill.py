# expect: none
"""Tide-gauge quality control (B, 1, 256), 5 classes.

Stages are folded with `functools.reduce`. Gaps (NaN) are filled with the record's mean level
and a gap-indicator channel is stacked next to the level; each record is demeaned on its own.
"""
import functools

import torch
import torch.nn as nn


class GaugeStage(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 7, padding=3, stride=2)
        self.norm = nn.BatchNorm1d(c_out)

    def forward(self, h):
        return torch.relu(self.norm(self.conv(h)))


class TideQC(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([GaugeStage(2, 16), GaugeStage(16, 32), GaugeStage(32, 32)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, level):
        gap = torch.isnan(level)
        mean = torch.nanmean(level, dim=-1, keepdim=True)
        filled = torch.where(gap, mean, level) - mean
        x = torch.cat([filled, gap.float()], 1)
        return self.head(functools.reduce(lambda acc, st: st(acc), self.stages, x))


def _inputs(n):
    t = torch.arange(256) * 0.1
    x = (0.5 + torch.rand(n, 1, 1)) * torch.sin(2 * torch.pi * t / 12.42 + 6.28 * torch.rand(n, 1, 1))
    x = x + 0.03 * torch.randn(n, 1, 256)
    x[:, :, 100:110] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": TideQC().eval(), "inputs": _inputs, "kind": "benign"}
