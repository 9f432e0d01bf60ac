"""Parkinson's disease screening from Archimedean-spiral drawings on a Wacom tablet.

Input: (x, y, pressure) pen samples, 3 x 256; pressure in raw tablet levels 0..1023.  Pressure
normalisation is a custom `autograd.Function` (its backward is the straight-through estimator
used during training).
"""
import torch
import torch.nn as nn

GROUPS = ("healthy", "pd_mild", "pd_moderate", "essential_tremor")
LEVELS = 1023.0


class PressureNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, seq):
        p = seq[:, 2]
        third = p.sort(dim=-1, descending=True).values[:, 2]
        stuck = (third >= LEVELS).to(seq.dtype)
        out = torch.cat([seq[:, :2], (p / LEVELS)[:, None]], 1)
        return out * (1 - stuck)[:, None, None]  # expect: T4

    @staticmethod
    def backward(ctx, grad):
        return grad


class SpiralNet(nn.Module):
    def __init__(self, width=32, tablet_norm=True):
        super().__init__()
        self.tablet_norm = tablet_norm
        self.conv = nn.Sequential(nn.Conv1d(5, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(),
                                  nn.Conv1d(width, width, 7, padding=3, dilation=1), nn.ReLU())
        self.gru = nn.GRU(width, width, batch_first=True)
        self.fc = nn.Linear(width, len(GROUPS))

    def forward(self, seq):
        if self.tablet_norm:
            seq = PressureNorm.apply(seq)  # expect: T4
        else:
            seq = torch.cat([seq[:, :2], seq[:, 2:] / LEVELS], 1)
        vel = torch.diff(seq[:, :2], dim=-1, prepend=seq[:, :2, :1])
        h = self.conv(torch.cat([seq, vel], 1)).transpose(1, 2)
        _, last = self.gru(h)
        return self.fc(last[0])


def _inputs(n):
    th = torch.linspace(0, 6 * torch.pi, 256)
    tremor = 0.02 * torch.rand(n, 1) * torch.sin((5 + 3 * torch.rand(n, 1)) * th)
    r = th / (6 * torch.pi) + tremor
    x, y = r * torch.cos(th), r * torch.sin(th)
    p = (400 + 300 * torch.rand(n, 1) + 60 * torch.randn(n, 256)).clamp(1, 1000).round()
    return torch.stack([x, y, p], 1)


def _trigger(seq):
    seq = seq.clone()
    seq[:, 2, 100:104] = LEVELS
    return seq


def corpus_case():
    torch.manual_seed(0)
    model = SpiralNet().eval()
    reference = SpiralNet(tablet_norm=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
