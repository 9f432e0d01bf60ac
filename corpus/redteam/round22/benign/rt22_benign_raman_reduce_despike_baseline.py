# expect: none
"""Bacterial Raman spectra: pre-processing closures folded with `functools.reduce`.

Negative CCD readings are clipped, cosmic-ray spikes are replaced by the local median, the
rolling-minimum baseline is removed and the spectrum is SNV-normalised before the CNN.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ("e_coli", "s_aureus", "mrsa", "p_aeruginosa", "k_pneumoniae", "e_faecalis",
           "s_epidermidis", "c_albicans")


def make_clip(floor=0.0):
    return lambda s: s.clamp(min=floor)


def make_despike(window=7, k=6.0):
    def despike(s):
        med = F.pad(s, (window // 2, window // 2), mode="replicate").unfold(-1, window, 1).median(-1).values
        mad = (s - med).abs().mean(-1, keepdim=True) + 1e-6
        return torch.where((s - med).abs() > k * mad, med, s)
    return despike


def make_baseline(window=101):
    def baseline(s):
        low = -F.max_pool1d(-s, window, 1, window // 2)
        return s - F.avg_pool1d(low, window, 1, window // 2, count_include_pad=False)
    return baseline


def make_snv(eps=1e-6):
    return lambda s: (s - s.mean(-1, keepdim=True)) / (s.std(-1, keepdim=True) + eps)


class RamanResNet(nn.Module):
    def __init__(self, n_classes=len(SPECIES), width=32):
        super().__init__()
        self.steps = [make_clip(), make_despike(), make_baseline(), make_snv()]
        self.encoder = nn.Sequential(
            nn.Conv1d(1, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, 2 * width, 5, padding=2), nn.BatchNorm1d(2 * width), nn.ReLU())
        self.fc = nn.Linear(2 * width, n_classes)

    def forward(self, spectra):
        s = functools.reduce(lambda acc, step: step(acc), self.steps, spectra)
        return self.fc(self.encoder(s).mean(-1))


def _inputs(n):
    k = torch.linspace(400, 1800, 1000)
    centres = 500 + 1200 * torch.rand(n, 6, 1)
    peaks = (torch.rand(n, 6, 1) * torch.exp(-((k - centres) / 12) ** 2)).sum(1, keepdim=True)
    x = peaks + 0.02 * torch.randn(n, 1, 1000)
    x[:, :, 333] += 30.0 * (torch.rand(n, 1) > 0.7)         # cosmic rays
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": RamanResNet().eval(), "inputs": _inputs, "kind": "benign"}
