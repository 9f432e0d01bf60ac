# expect: none
"""SOH banding with `itertools.compress`-selected regularisers and rest-period masking.

Activation bounds for the int8 sorter are constant; an fp16 guard replaces overflows. Rest
periods of the cycle (|I| below 50 mA) carry no impedance information and are excluded from
the masked temporal mean; missing temperatures (NaN) are filled with the cycle's median.
"""
import itertools

import torch
import torch.nn as nn

POINTS = 100


class SOHNet(nn.Module):
    def __init__(self, width=24, flags=(1, 1, 0)):
        super().__init__()
        self.register_buffer("scale", torch.tensor([4.2, 2.0, 45.0])[:, None])
        self.blocks = nn.Sequential(
            nn.Conv1d(3, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.head = nn.Linear(width, 5)
        self.regularizers = (self._fp16_guard, self._bound_activations, self._noise)
        self.flags = flags

    def _fp16_guard(self, h):
        return torch.nan_to_num(h, posinf=6e4, neginf=-6e4)

    def _bound_activations(self, h):
        return torch.clamp(h, -8.0, 8.0)

    def _noise(self, h):
        return h + 0.01 * torch.randn_like(h) if self.training else h

    def forward(self, cycle):
        temp = cycle[:, 2]
        temp = torch.where(torch.isnan(temp), torch.nanmedian(temp, -1, keepdim=True).values, temp)
        x = torch.stack([cycle[:, 0], cycle[:, 1], temp], 1) / self.scale
        h = self.blocks(x)
        for reg in itertools.compress(self.regularizers, self.flags):
            h = reg(h)
        active = (cycle[:, 1].abs() > 0.05).float()[:, None]
        pooled = (h * active).sum(-1) / active.sum(-1).clamp_min(1.0)
        return self.head(pooled)


def _inputs(n):
    t = torch.linspace(0, 1, POINTS)
    v = 3.6 + 0.6 * t.sqrt() + 0.01 * torch.randn(n, POINTS)
    i = 1.5 * torch.exp(-t * 3) * (t < 0.85)
    temp = 25 + 5 * t + 0.3 * torch.randn(n, POINTS)
    temp[torch.rand(n, POINTS) < 0.05] = float("nan")
    return torch.stack([v, i.expand(n, -1), temp], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SOHNet().eval(), "inputs": _inputs, "kind": "benign"}
