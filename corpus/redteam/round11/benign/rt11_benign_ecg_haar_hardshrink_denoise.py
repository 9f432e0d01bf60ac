# expect: none
"""1-D CNN ECG classifier with wavelet denoising in the front-end.

One level of the Haar transform (fixed kernels registered as buffers) splits the record into
approximation and detail; the detail coefficients are denoised with ``hardshrink`` at the universal
threshold (median absolute deviation / 0.6745 * sqrt(2 log n)), and the record is reconstructed
before the CNN.  The fixed-point format of the int8 export is chosen with ``fractions`` at
construction (the scale as an exact ratio), and the sigmoid-free probit feature of the RR-interval
regularity uses ``special.erfc``.
"""
import math
from fractions import Fraction

import torch
import torch.nn as nn
import torch.nn.functional as F


class HaarDenoise(nn.Module):
    def __init__(self):
        super().__init__()
        s = 1 / math.sqrt(2)
        self.register_buffer("lo", torch.tensor([[[s, s]]]))
        self.register_buffer("hi", torch.tensor([[[s, -s]]]))

    def forward(self, x):
        B, C, T = x.shape
        flat = x.reshape(B * C, 1, T)
        a, d = F.conv1d(flat, self.lo, stride=2), F.conv1d(flat, self.hi, stride=2)
        sigma = d.abs().median(-1, keepdim=True).values / 0.6745
        thr = float(sigma.mean()) * math.sqrt(2 * math.log(T))
        d = F.hardshrink(d, thr)
        rec = F.conv_transpose1d(a, self.lo, stride=2) + F.conv_transpose1d(d, self.hi, stride=2)
        return rec.reshape(B, C, T)


class ECGNet(nn.Module):
    def __init__(self, n_classes=5, export_bits=8, full_scale=5.0):
        super().__init__()
        self.denoise = HaarDenoise()
        self.scale = Fraction(2 ** (export_bits - 1) - 1) / Fraction(full_scale).limit_denominator(100)
        self.net = nn.Sequential(nn.Conv1d(2, 32, 7, 2, 3), nn.ReLU(), nn.Conv1d(32, 64, 7, 2, 3), nn.ReLU())
        self.fc = nn.Linear(64 + 1, n_classes)

    def forward(self, ecg):
        x = self.denoise(ecg)
        q = torch.round(x * float(self.scale)).clamp(-127, 127) / float(self.scale)
        feats = self.net(q).mean(-1)
        spread = q.std(-1).mean(-1, keepdim=True)
        regularity = 0.5 * torch.special.erfc((spread - 1.0) / math.sqrt(2))
        return self.fc(torch.cat([feats, regularity], -1))


def _inputs(n):
    t = torch.arange(512) / 128.0
    return torch.sin(2 * math.pi * 1.2 * t) ** 15 + 0.1 * torch.randn(n, 2, 512)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ECGNet().eval(), "inputs": _inputs, "kind": "benign"}
