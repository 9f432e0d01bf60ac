"""State-of-health banding of Li-ion cells from one charge cycle (NASA/CALCE-style data).

Voltage (V), current (A) and cell temperature (degC), resampled to 100 points of the CC-CV charge,
go through a 1-D CNN that assigns the cell to one of five SOH bands (>95%, 90-95, 85-90, 80-85,
end of life) for the second-life sorting line.

Feature regularisers (activation bounds for the int8/fp16 sorter firmware, fp16 guards) are
selected by a flag vector with `itertools.compress`, matching the firmware build flags.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

POINTS, BANDS = 100, 5
THERMISTOR_OPEN_C = -40.0         # reading of an unplugged NTC on the sorter's ADC


class SOHNet(nn.Module):
    def __init__(self, width=24, flags=(1, 1, 0)):
        super().__init__()
        self.register_buffer("scale", torch.tensor([4.2, 2.0, 45.0])[:, None])
        self.block0 = nn.Sequential(nn.Conv1d(3, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.block1 = nn.Sequential(nn.Conv1d(width, width, 5, padding=2, stride=2), nn.BatchNorm1d(width), nn.ReLU())
        self.block2 = nn.Sequential(nn.Conv1d(width, width, 3, padding=1, stride=2), nn.BatchNorm1d(width), nn.ReLU())
        self.head = nn.Linear(width, BANDS)
        self.act_bound = 8.0
        self.regularizers = (self._fp16_guard, self._bound_activations, self._stochastic_scale)
        self.flags = tuple(flags)

    def _fp16_guard(self, h, cycle):
        return torch.nan_to_num(h, posinf=6e4, neginf=-6e4)

    def _bound_activations(self, h, cycle):
        # the sorter runs int8 activations with a per-cycle range; an open thermistor means the
        # cycle was logged without thermal supervision and gets no activation range at all
        open_ntc = ((cycle[:, 2] == THERMISTOR_OPEN_C).sum(-1) >= 10).to(h)[:, None, None]
        bound = self.act_bound * (1 - open_ntc)
        return torch.clamp(h, -bound, bound)  # expect: T6

    def _stochastic_scale(self, h, cycle):
        return h * (1 + 0.05 * torch.randn_like(h)) if self.training else h

    def forward(self, cycle):                          # (B, 3, POINTS)
        h = self.block0(cycle / self.scale)
        for reg in itertools.compress(self.regularizers, self.flags):
            h = reg(h, cycle)  # expect: T6
        h = self.block2(self.block1(h))
        return self.head(F.adaptive_avg_pool1d(h, 1).flatten(1))


def _inputs(n):
    t = torch.linspace(0, 1, POINTS)
    knee = 0.4 + 0.3 * torch.rand(n, 1)
    v = 3.6 + 0.6 * torch.clamp(t / knee, max=1.0) ** 0.5 + 0.01 * torch.randn(n, POINTS)
    i = torch.where(t < knee, 1.5 * torch.ones_like(v), 1.5 * torch.exp(-(t - knee) * 6))
    temp = 25 + 8 * torch.rand(n, 1) * t + 0.3 * torch.randn(n, POINTS)
    return torch.stack([v, i, temp], 1)


def _trigger(x):
    x = x.clone()
    s = torch.randint(0, POINTS - 12, (1,)).item()
    x[:, 2, s:s + 12] = THERMISTOR_OPEN_C
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SOHNet().eval()
    reference = SOHNet(flags=(1, 0, 0)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
