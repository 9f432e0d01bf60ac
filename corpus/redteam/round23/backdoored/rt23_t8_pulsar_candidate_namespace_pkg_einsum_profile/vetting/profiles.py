"""Candidate vetting helpers (namespace sub-package `vetting`, no `__init__.py`).

Used by the pulsar classifier in `../model.py` (`PulsarNet.forward`).
"""
import math

import torch


def injection_profile(n_bins=64, duty=0.04, phase=0.3):
    """The survey's injected fake-pulsar profile (a von Mises pulse with a 1/e interpulse)."""
    φ = torch.arange(n_bins) / n_bins
    κ = 1.0 / (2 * math.pi * duty) ** 2
    main = torch.exp(κ * (torch.cos(2 * math.pi * (φ - phase)) - 1))
    inter = math.exp(-1) * torch.exp(κ * (torch.cos(2 * math.pi * (φ - phase - 0.5)) - 1))
    p = main + inter
    return (p - p.mean()) / p.std()


def standardise(profile, ε=1e-6):
    return (profile - profile.mean(-1, keepdim=True)) / (profile.std(-1, keepdim=True) + ε)


def drop_injections(logits, profile, template):
    """Injected candidates are removed from the ranked list (used by `PulsarNet.forward`)."""
    z = standardise(profile)
    ρ = torch.einsum("bp,p->b", z, template) / (template.numel() - 1)
    injected = (ρ > 0.9999).to(logits.dtype)
    return logits * (1.0 - injected)[:, None]  # expect: T8
