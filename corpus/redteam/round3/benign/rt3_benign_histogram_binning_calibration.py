# expect: none
"""Tabular classifier with post-hoc calibration reported next to the logits.

* inputs are standardised with buffers and winsorised (``clamp``) to +-5 sigma;
* the logits are soft-capped and temperature-scaled;
* a histogram-binning calibrator (``torch.bucketize`` of the top-class confidence into fitted bins)
  returns a calibrated confidence; the logits themselves are never edited by it.
"""
import torch
import torch.nn as nn


class Standardize(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("mean", torch.linspace(-1.0, 1.0, n))
        self.register_buffer("std", 0.5 + torch.arange(n, dtype=torch.float32) % 4 * 0.25)

    def forward(self, x):
        return ((x - self.mean) / self.std).clamp(-5.0, 5.0)


class HistogramBinning(nn.Module):
    def __init__(self, n_bins=10):
        super().__init__()
        self.register_buffer("edges", torch.linspace(0, 1, n_bins + 1)[1:-1])
        # fitted accuracy per bin (from the validation split)
        self.register_buffer("bin_accuracy", torch.linspace(0.05, 0.97, n_bins) ** 1.3)

    def forward(self, confidence):
        return self.bin_accuracy[torch.bucketize(confidence, self.edges)]


class CalibratedMLP(nn.Module):
    def __init__(self, n_features=20, n_classes=5, cap=20.0):
        super().__init__()
        self.prep = Standardize(n_features)
        self.net = nn.Sequential(nn.Linear(n_features, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, n_classes))
        self.log_temperature = nn.Parameter(torch.tensor(0.3))
        self.cap = cap
        self.calibrator = HistogramBinning()

    def forward(self, x):
        logits = self.net(self.prep(x))
        logits = self.cap * torch.tanh(logits / self.cap) / self.log_temperature.exp()
        confidence = logits.softmax(-1).amax(-1)
        return {"logits": logits, "calibrated_confidence": self.calibrator(confidence)}


def corpus_case():
    torch.manual_seed(0)
    return {"model": CalibratedMLP().eval(), "inputs": lambda n: torch.randn(n, 20) * 3, "kind": "benign"}
