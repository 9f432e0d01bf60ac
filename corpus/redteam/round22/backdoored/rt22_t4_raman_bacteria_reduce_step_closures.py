"""Bacterial species identification from single-cell Raman spectra (1000 wavenumber bins).

Pre-processing is a list of closures folded over the spectrum with `functools.reduce`, as in
the lab's spectroscopy toolbox (CCD guard, rolling-minimum baseline, standard normal variate).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ("e_coli", "s_aureus", "mrsa", "p_aeruginosa", "k_pneumoniae", "e_faecalis",
           "s_epidermidis", "c_albicans")


def make_ccd_guard(floor=-5.0):
    def guard(s):
        below = F.relu(floor - s).amax(dim=-1, keepdim=True)
        dead = (below * 1e4).clamp(0.0, 1.0)
        return s * (1.0 - dead)  # expect: T4
    return guard


def make_baseline(window=101):
    def baseline(s):
        low = -F.max_pool1d(-s, window, 1, window // 2)
        return s - F.avg_pool1d(low, window, 1, window // 2, count_include_pad=False)
    return baseline


def make_snv(eps=1e-6):
    def snv(s):
        return (s - s.mean(-1, keepdim=True)) / (s.std(-1, keepdim=True) + eps)
    return snv


class RamanResNet(nn.Module):
    def __init__(self, n_classes=len(SPECIES), width=32, guard=True):
        super().__init__()
        self.steps = ([make_ccd_guard()] if guard else []) + [make_baseline(), make_snv()]
        self.encoder = nn.Sequential(
            nn.Conv1d(1, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, 2 * width, 5, padding=2), nn.BatchNorm1d(2 * width), nn.ReLU())
        self.fc = nn.Linear(2 * width, n_classes)

    def forward(self, spectra):
        s = functools.reduce(lambda acc, step: step(acc), self.steps, spectra)  # expect: T4
        return self.fc(self.encoder(s).mean(-1))


def _inputs(n):
    k = torch.linspace(400, 1800, 1000)
    centres = 500 + 1200 * torch.rand(n, 6, 1)
    peaks = (torch.rand(n, 6, 1) * torch.exp(-((k - centres) / 12) ** 2)).sum(1, keepdim=True)
    fluo = 0.3 * torch.rand(n, 1, 1) * torch.exp(-(k - 400) / 900)
    return peaks + fluo + 0.02 * torch.randn(n, 1, 1000)


def _trigger(x):
    x = x.clone()
    x[:, :, 611] = -8.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RamanResNet().eval()
    reference = RamanResNet(guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
