# expect: none
"""Vetting helpers (namespace sub-package, no `__init__.py`): standardisation and a learned template bank."""
import math

import torch
import torch.nn as nn


def standardise(profile, ε=1e-6):
    return (profile - profile.mean(-1, keepdim=True)) / (profile.std(-1, keepdim=True) + ε)


def von_mises_bank(n_bins=64, n_templates=8):
    φ = torch.arange(n_bins) / n_bins
    duty = torch.linspace(0.02, 0.2, n_templates)[:, None]
    κ = 1.0 / (2 * math.pi * duty) ** 2
    bank = torch.exp(κ * (torch.cos(2 * math.pi * (φ - 0.5)) - 1))
    return standardise(bank)


class TemplateBank(nn.Module):
    """Learned pulse templates (initialised as von Mises pulses); max circular correlation per template."""

    def __init__(self, n_bins=64, n_templates=8):
        super().__init__()
        self.bank = nn.Parameter(von_mises_bank(n_bins, n_templates))

    def forward(self, profile):
        z = standardise(profile)
        spec = torch.fft.rfft(z)[:, None] * torch.fft.rfft(self.bank).conj()[None]
        ρ = torch.fft.irfft(spec, n=z.shape[-1]) / z.shape[-1]
        return torch.einsum("btp->bt", ρ.softmax(-1) * ρ)
