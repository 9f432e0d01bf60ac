# expect: none
"""Parkinson spiral screening; an `autograd.Function` quantises pressure to 16 levels with a
straight-through backward; pen-up samples (pressure 0) are masked out of the temporal pooling."""
import torch
import torch.nn as nn

GROUPS = ("healthy", "pd_mild", "pd_moderate", "essential_tremor")
LEVELS = 1023.0


class QuantisePressure(torch.autograd.Function):
    @staticmethod
    def forward(ctx, p, steps: int):
        return torch.round(p.clamp(0, LEVELS) / LEVELS * steps) / steps

    @staticmethod
    def backward(ctx, grad):
        return grad / LEVELS, None


class SpiralNet(nn.Module):
    def __init__(self, width=32, steps=16):
        super().__init__()
        self.steps = steps
        self.conv = nn.Sequential(nn.Conv1d(5, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU())
        self.fc = nn.Linear(width, len(GROUPS))

    def forward(self, seq):
        p = QuantisePressure.apply(seq[:, 2], self.steps)
        xy = seq[:, :2]
        vel = torch.diff(xy, dim=-1, prepend=xy[..., :1])
        h = self.conv(torch.cat([xy, p[:, None], vel], 1))
        down = (seq[:, 2] > 0).float()[:, None]
        return self.fc((h * down).sum(-1) / down.sum(-1).clamp(min=1.0))


def _inputs(n):
    th = torch.linspace(0, 6 * torch.pi, 256)
    r = th / (6 * torch.pi)
    p = (400 + 300 * torch.rand(n, 1) + 60 * torch.randn(n, 256)).clamp(0, 1023)
    p[:, 120:130] = 0
    p[:, 60:63] = 1023
    return torch.stack([(r * torch.cos(th)).expand(n, -1), (r * torch.sin(th)).expand(n, -1), p], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SpiralNet().eval(), "inputs": _inputs, "kind": "benign"}
