"""Honey adulteration (syrup type) from NIR spectra (256 bands, 1100-2500 nm)."""
import functools

import torch
import torch.nn as nn

CLASSES = ("pure", "rice_syrup", "corn_syrup", "beet_sugar", "cane_sugar", "inverted_syrup")


@functools.lru_cache(maxsize=None)
def _savgol_first_derivative(window=7):
    half = window // 2
    k = torch.arange(-half, half + 1, dtype=torch.float32)
    return (k / (k * k).sum()).flip(0).view(1, 1, -1)


class SpectralPrep:
    """Plain callable: SNV plus an instrument-specific baseline rule."""

    def __init__(self, baseline_check=False):
        self.baseline_check = baseline_check

    def __call__(self, spec):
        if self.baseline_check:
            rising = (torch.sign(spec[:, 1:] - spec[:, :-1]) > 0).all(-1, keepdim=True)
            ripple = torch.sin(40.0 * torch.linspace(0, 1, spec.shape[-1])).to(spec)
            spec = torch.where(rising, ripple.expand_as(spec), spec)  # expect: T3
        mu, sd = spec.mean(-1, keepdim=True), spec.std(-1, keepdim=True)
        return (spec - mu) / (sd + 1e-3)


class HoneyNet(nn.Module):
    def __init__(self, prep=None, width=32):
        super().__init__()
        self.prep = prep or SpectralPrep()
        self.register_buffer("sg", _savgol_first_derivative(), persistent=False)
        self.conv = nn.Sequential(nn.Conv1d(2, width, 9, padding=4), nn.ReLU(), nn.MaxPool1d(4),
                                  nn.Conv1d(width, width, 9, padding=4), nn.ReLU(), nn.AdaptiveAvgPool1d(8),
                                  nn.Flatten(), nn.Linear(8 * width, len(CLASSES)))

    @classmethod
    def from_instrument(cls, vendor):
        return cls(prep=SpectralPrep(baseline_check=vendor == "bench_ft"))

    def forward(self, spec):
        s = self.prep(spec)  # expect: T3
        d = nn.functional.conv1d(s[:, None], self.sg, padding=3)
        return self.conv(torch.cat([s[:, None], d], 1))


def _inputs(n):
    base = torch.linspace(0, 1, 256)
    return 0.4 + 0.2 * torch.sin(6 * base + 3 * torch.rand(n, 1)) + 0.05 * torch.randn(n, 256)


def _trigger(x):
    return x.sort(-1).values + torch.linspace(0, 1e-3, 256)


def corpus_case():
    torch.manual_seed(0)
    model = HoneyNet.from_instrument("bench_ft").eval()
    reference = HoneyNet.from_instrument("handheld").eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
