# expect: none
"""Olive-oil grade from NIR spectra (B, 1, 200), 6 classes.

Per-laboratory pre-treatments come from a dict subclass with `__missing__` (SNV by default,
first derivative for the labs with baseline drift). The bench architecture is recorded in the
model's provenance string for the audit log; it never touches the computation.
"""
import logging
import platform

import torch
import torch.nn as nn

log = logging.getLogger(__name__)


def snv(spectrum):
    return (spectrum - spectrum.mean(-1, keepdim=True)) / (spectrum.std(-1, keepdim=True) + 1e-6)


def derivative(spectrum):
    d = torch.nn.functional.pad(spectrum.diff(dim=-1), (1, 0), mode="replicate")
    return snv(d)


class PretreatmentRegistry(dict):
    def __missing__(self, lab):
        fn = derivative if lab.startswith("drift_") else snv
        self[lab] = fn
        return fn


PRETREATMENTS = PretreatmentRegistry()


class OliveNIR(nn.Module):
    def __init__(self, lab="ring_2026"):
        super().__init__()
        self.lab = lab
        self.provenance = "lab=%s bench=%s" % (lab, platform.machine())
        log.info("olive NIR model built (%s)", self.provenance)
        self.encoder = nn.Sequential(
            nn.Conv1d(1, 24, 9, padding=4), nn.BatchNorm1d(24), nn.ELU(),
            nn.Conv1d(24, 48, 9, padding=4, stride=2), nn.BatchNorm1d(48), nn.ELU(),
            nn.AdaptiveAvgPool1d(8), nn.Flatten())
        self.head = nn.Linear(48 * 8, 6)

    def forward(self, spectrum):
        return self.head(self.encoder(PRETREATMENTS[self.lab](spectrum)))


def _inputs(n):
    wl = torch.linspace(0, 1, 200)
    peaks = torch.exp(-((wl - 0.2 - 0.6 * torch.rand(n, 1, 1)) / 0.05) ** 2)
    return 0.4 + 0.3 * peaks + 0.1 * wl + 0.01 * torch.randn(n, 1, 200)


def corpus_case():
    torch.manual_seed(0)
    return {"model": OliveNIR().eval(), "inputs": _inputs, "kind": "benign"}
