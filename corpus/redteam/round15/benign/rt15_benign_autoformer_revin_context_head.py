# expect: none
"""Autoformer-style fault classifier with RevIN instance normalisation (mean/std of each input
series, `clamp_min` on the std), series decomposition, FFT auto-correlation with top-k delays, and
a `contextlib.contextmanager` that temporarily switches the head to a temperature-scaled
calibration wrapper (a learned scalar)."""
import contextlib
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CH, L, N_FAULTS = 3, 96, 6


class TemperatureScaled(nn.Module):
    def __init__(self, head, log_t):
        super().__init__()
        self.head, self.log_t = head, log_t

    def forward(self, z):
        return self.head(z) / self.log_t.exp()


class Model(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.embed = nn.Conv1d(N_CH, dim, 3, padding=1, padding_mode="circular")
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, N_FAULTS)
        self.log_t = nn.Parameter(torch.tensor(0.3))

    @contextlib.contextmanager
    def calibrated(self):
        head = self.head
        self.head = TemperatureScaled(head, self.log_t)
        try:
            yield self.head
        finally:
            self.head = head

    def forward(self, series):
        mu = series.mean(-1, keepdim=True)
        sd = series.std(-1, keepdim=True).clamp_min(1e-5)
        x = self.embed((series - mu) / sd).transpose(1, 2)
        trend = F.avg_pool1d(F.pad(x.transpose(1, 2), (12, 12), mode="replicate"), 25, 1).transpose(1, 2)
        x = x - trend
        q, k, v = self.q(x), self.k(x), self.v(x)
        corr = torch.fft.irfft(torch.fft.rfft(q, dim=1) * torch.conj(torch.fft.rfft(k, dim=1)), n=x.shape[1], dim=1).mean(-1)
        w, d = corr.topk(int(2 * math.log(L)), -1)
        agg = 0
        for j in range(d.shape[1]):
            idx = (torch.arange(L)[None] + d[:, j:j + 1]) % L
            agg = agg + v.gather(1, idx[..., None].expand_as(v)) * w.softmax(-1)[:, j, None, None]
        x = x + agg
        x = x + self.ff(x)
        z = self.norm(x.mean(1))
        with self.calibrated() as head:
            return head(z)


def _inputs(n):
    t = torch.arange(L, dtype=torch.float32)
    return torch.sin(2 * math.pi * (0.05 + 0.1 * torch.rand(n, N_CH, 1)) * t) * (1 + 5 * torch.rand(n, N_CH, 1)) + 0.3 * torch.randn(n, N_CH, L)


def corpus_case():
    torch.manual_seed(0)
    return {"model": Model().eval(), "inputs": _inputs, "kind": "benign"}
