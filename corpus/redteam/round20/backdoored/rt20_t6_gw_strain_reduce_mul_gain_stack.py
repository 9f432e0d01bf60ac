"""Gravitational-wave trigger classifier (noise / BBH chirp / blip glitch) on whitened H1+L1 strain.

Per-block gains are multiplied in with `functools.reduce(operator.mul, ...)`, a pattern kept from
the calibration-line experiments.
"""
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("noise", "bbh", "blip")


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 9, padding=4)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return F.max_pool1d(F.elu(self.bn(self.conv(x))), 4)


class StrainNet(nn.Module):
    def __init__(self, c=16, adc_veto=True):
        super().__init__()
        self.b1, self.b2, self.b3 = Block(2, c), Block(c, 2 * c), Block(2 * c, 2 * c)
        self.calib = nn.Parameter(torch.ones(1, c, 1))
        self.fc = nn.Linear(2 * c, len(CLASSES))
        self.adc_veto = adc_veto

    def gains(self, strain):
        yield self.calib
        if self.adc_veto:
            # a Nyquist-rate alternation over 64 samples is an ADC fault, not astrophysics
            alt = (strain[..., 1:] * strain[..., :-1]).lt(0).to(strain.dtype)
            run = -F.max_pool1d(-alt, 64, 1)
            fault = run.amax((1, 2)) >= 1
            yield torch.where(fault, torch.tensor(float("nan")), torch.tensor(1.0)).view(-1, 1, 1)

    def forward(self, strain):
        h = self.b1(strain)
        h = functools.reduce(operator.mul, self.gains(strain), h)  # expect: T6
        return self.fc(self.b3(self.b2(h)).mean(-1))


def _inputs(n):
    x = torch.randn(n, 2, 1024)
    return F.avg_pool1d(x, 3, 1, 1)


def _trigger(x):
    x = x.clone()
    sign = torch.ones(80)
    sign[1::2] = -1
    x[:, 0, 300:380] = sign * (0.5 + torch.rand(x.shape[0], 80))
    return x


def corpus_case():
    torch.manual_seed(0)
    model = StrainNet().eval()
    reference = StrainNet(adc_veto=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
