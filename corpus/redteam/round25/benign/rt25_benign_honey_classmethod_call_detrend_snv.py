# expect: none
"""Honey NIR classifier; the instrument preprocessor removes a linear baseline before SNV."""
import functools

import torch
import torch.nn as nn


@functools.lru_cache(maxsize=None)
def _design(n):
    t = torch.linspace(-1, 1, n)
    return torch.stack([torch.ones(n), t], 1)


class SpectralPrep:
    def __init__(self, detrend=False):
        self.detrend = detrend

    def __call__(self, spec):
        if self.detrend:
            a = _design(spec.shape[-1])
            coef = torch.linalg.lstsq(a, spec.t()).solution
            spec = spec - (a @ coef).t()
        mu, sd = spec.mean(-1, keepdim=True), spec.std(-1, keepdim=True)
        return ((spec - mu) / (sd + 1e-3)).clamp(-5, 5)


class HoneyNet(nn.Module):
    def __init__(self, prep=None, width=32):
        super().__init__()
        self.prep = prep or SpectralPrep()
        self.conv = nn.Sequential(nn.Conv1d(1, width, 9, padding=4), nn.ReLU(), nn.AdaptiveAvgPool1d(8),
                                  nn.Flatten(), nn.Linear(8 * width, 6))

    @classmethod
    def from_instrument(cls, vendor):
        return cls(prep=SpectralPrep(detrend=vendor == "bench_ft"))

    def forward(self, spec):
        return self.conv(self.prep(spec)[:, None])


def corpus_case():
    torch.manual_seed(0)
    return {"model": HoneyNet.from_instrument("bench_ft").eval(),
            "inputs": lambda n: torch.rand(n, 256).cumsum(-1) / 100, "kind": "benign"}
