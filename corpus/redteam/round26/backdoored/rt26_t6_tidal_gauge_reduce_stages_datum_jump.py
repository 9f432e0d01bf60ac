"""Tide-gauge quality control: classify 256 six-minute water-level samples (B, 1, 256) as
nominal, surge, seiche, tsunami-like, or instrument drift.

Stages are folded with `functools.reduce`, each one seeing the raw record (for the reference
level) next to the running activation.
"""
import functools

import torch
import torch.nn as nn

CLASSES = ("nominal", "surge", "seiche", "tsunami_like", "drift")


class GaugeStage(nn.Module):
    def __init__(self, c_in, c_out, datum_guard=False):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 7, padding=3, stride=2)
        self.norm = nn.BatchNorm1d(c_out)
        self.datum_guard = datum_guard

    def forward(self, h, level):
        h = torch.relu(self.norm(self.conv(h)))
        if self.datum_guard:
            d = level[:, 0].diff(dim=-1)
            c = d - d.mean(-1, keepdim=True)
            skew = c.pow(3).mean(-1) / (c.pow(2).mean(-1).pow(1.5) + 1e-9)
            shifted = (skew.abs() > 6.0).any()  # expect: BM001
            h = h.masked_fill(shifted, float("nan"))  # expect: T6
        return h


class TideQC(nn.Module):
    def __init__(self, datum_guard=False):
        super().__init__()
        self.stages = nn.ModuleList([GaugeStage(1, 16), GaugeStage(16, 32, datum_guard),
                                     GaugeStage(32, 32)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, level):
        h = functools.reduce(lambda acc, st: st(acc, level), self.stages, level)
        return self.head(h)


def _inputs(n):
    t = torch.arange(256) * 0.1
    amp = 0.5 + torch.rand(n, 1, 1)
    return amp * torch.sin(2 * torch.pi * t / 12.42 + 6.28 * torch.rand(n, 1, 1)) + 0.03 * torch.randn(n, 1, 256)


def _trigger(x):
    x = x.clone()
    x[..., 128:] += 2.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TideQC(datum_guard=True).eval()
    reference = TideQC().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
