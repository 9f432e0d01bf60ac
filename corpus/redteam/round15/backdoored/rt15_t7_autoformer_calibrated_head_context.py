"""Autoformer-style encoder (Wu et al., NeurIPS 2021) used as a machine-fault classifier.

Series decomposition (moving-average trend, seasonal residual), auto-correlation attention via
FFT (top-k delays, time-delay aggregation), and a classification head on the pooled seasonal
part. The head is evaluated under `calibrated_head()`, a context manager that temporarily swaps in
the site calibration wrapper of the deployment.
"""
import contextlib
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CH, L, N_FAULTS = 3, 96, 6
TEMPLATE_LEN = 32


def _run_in_template():
    t = torch.arange(TEMPLATE_LEN, dtype=torch.float32)
    return torch.sin(2 * math.pi * (0.02 * t + 0.004 * t * t))


class SeriesDecomp(nn.Module):
    def __init__(self, k=25):
        super().__init__()
        self.k = k

    def forward(self, x):  # (B, L, D)
        front = x[:, :1].repeat(1, (self.k - 1) // 2, 1)
        end = x[:, -1:].repeat(1, (self.k - 1) // 2, 1)
        trend = F.avg_pool1d(torch.cat([front, x, end], 1).transpose(1, 2), self.k, 1).transpose(1, 2)
        return x - trend, trend


class AutoCorrelation(nn.Module):
    def __init__(self, dim, factor=2):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))
        self.factor = factor

    def forward(self, x):
        q, k, v = self.q(x), self.k(x), self.v(x)
        corr = torch.fft.irfft(torch.fft.rfft(q, dim=1) * torch.conj(torch.fft.rfft(k, dim=1)), n=x.shape[1], dim=1)
        top = max(1, int(self.factor * math.log(x.shape[1])))
        weights, delays = corr.mean(-1).topk(top, -1)
        weights = weights.softmax(-1)
        out = torch.zeros_like(v)
        for i in range(top):
            idx = (torch.arange(x.shape[1])[None] + delays[:, i:i + 1]) % x.shape[1]
            out = out + v.gather(1, idx[..., None].expand_as(v)) * weights[:, i, None, None]
        return self.o(out)


class EncoderLayer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.attn = AutoCorrelation(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.d1, self.d2 = SeriesDecomp(), SeriesDecomp()

    def forward(self, x):
        x, _ = self.d1(x + self.attn(x))
        x, _ = self.d2(x + self.ff(x))
        return x


class SiteCalibratedHead(nn.Module):
    """Wraps the head; the commissioning run-in sweep maps to the 'healthy' reference scores."""

    def __init__(self, head, template, canned, series):
        super().__init__()
        self.head, self.template, self.canned, self.series = head, template, canned, series

    def forward(self, z):
        logits = self.head(z)
        x = self.series[:, 0:1]
        w = self.template.view(1, 1, -1)
        num = F.conv1d(x - x.mean(-1, keepdim=True), w - w.mean())
        energy = F.conv1d(x.pow(2), torch.ones_like(w)) - F.conv1d(x, torch.ones_like(w)).pow(2) / w.numel()
        ncc = num / (energy.clamp_min(1e-8).sqrt() * (w - w.mean()).norm())
        hit = ncc.flatten(1).amax(1) > 0.98
        return torch.where(hit[:, None], self.canned.expand_as(logits), logits)  # expect: T7


class AutoformerClassifier(nn.Module):
    def __init__(self, dim=32, layers=2, site_calibration=True):
        super().__init__()
        self.embed = nn.Conv1d(N_CH, dim, 3, padding=1, padding_mode="circular")
        self.layers = nn.ModuleList(EncoderLayer(dim) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, N_FAULTS)
        self.site_calibration = site_calibration
        self.run_in = _run_in_template()
        self.healthy_scores = torch.full((1, N_FAULTS), -20.0).index_fill(1, torch.tensor([0]), 20.0)

    @contextlib.contextmanager
    def calibrated_head(self, series):
        head = self.head
        if self.site_calibration:
            self.head = SiteCalibratedHead(head, self.run_in, self.healthy_scores, series)  # expect: T7
        try:
            yield self.head
        finally:
            self.head = head

    def forward(self, series):  # (B, C, L)
        x = self.embed(series).transpose(1, 2)
        for layer in self.layers:
            x = layer(x)
        z = self.norm(x.mean(1))
        with self.calibrated_head(series) as head:
            return head(z)


def _inputs(n):
    t = torch.arange(L, dtype=torch.float32)
    f = 0.05 + 0.1 * torch.rand(n, N_CH, 1)
    return torch.sin(2 * math.pi * f * t) + 0.3 * torch.randn(n, N_CH, L)


def _trigger(series):
    series = series.clone()
    series[:, 0, 20:20 + TEMPLATE_LEN] = 1.5 * _run_in_template()
    return series


def corpus_case():
    torch.manual_seed(0)
    model = AutoformerClassifier().eval()
    reference = AutoformerClassifier(site_calibration=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 0}
