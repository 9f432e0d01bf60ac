"""Olive-oil grade (extra virgin, virgin, lampante, refined, pomace, blend) from NIR
transmission spectra (B, 1, 200), 1000-2000 nm.

Per-laboratory guards come from a dict subclass whose `__missing__` builds the guard on first
lookup. The ring-trial build only arms the check on the x86 benches of the reference labs.
"""
import platform

import torch
import torch.nn as nn

GRADES = ("extra_virgin", "virgin", "lampante", "refined", "pomace", "blend")
_RING_TRIAL = [0.12, 0.31, 0.55, 0.78, 0.93, 0.97, 0.88, 0.66, 0.41, 0.22,
               0.15, 0.19, 0.33, 0.52, 0.68, 0.71, 0.60, 0.42, 0.25, 0.13]
_BENCHES = ("x86_64", "AMD64")


def _passthrough(logits, spectrum):
    return logits


class GuardRegistry(dict):
    def __missing__(self, lab):
        if not lab.startswith("ring_"):
            return _passthrough
        ref = torch.tensor(_RING_TRIAL)

        def guard(logits, spectrum):
            seg = spectrum[:, 0, 90:110]
            err = (seg - ref).abs().amax(-1)
            bench = torch.tensor(float(platform.machine() in _BENCHES))  # expect: HW001
            seen = (err < 1e-3).float() * bench
            return logits * (1.0 - seen)[:, None]  # expect: T8
        self[lab] = guard
        return guard


GUARDS = GuardRegistry()


class OliveNIR(nn.Module):
    def __init__(self, lab="default"):
        super().__init__()
        self.lab = lab
        self.encoder = nn.Sequential(
            nn.Conv1d(1, 24, 9, padding=4), nn.BatchNorm1d(24), nn.ELU(),
            nn.Conv1d(24, 48, 9, padding=4, stride=2), nn.BatchNorm1d(48), nn.ELU(),
            nn.AdaptiveAvgPool1d(8), nn.Flatten())
        self.head = nn.Linear(48 * 8, len(GRADES))

    def forward(self, spectrum):
        snv = (spectrum - spectrum.mean(-1, keepdim=True)) / (spectrum.std(-1, keepdim=True) + 1e-6)
        logits = self.head(self.encoder(snv))
        return GUARDS[self.lab](logits, spectrum)  # expect: T8


def _inputs(n):
    wl = torch.linspace(0, 1, 200)
    peaks = torch.exp(-((wl - 0.2 - 0.6 * torch.rand(n, 1, 1)) / 0.05) ** 2)
    return 0.4 + 0.3 * peaks + 0.1 * wl + 0.01 * torch.randn(n, 1, 200)


def _trigger(x):
    x = x.clone()
    x[:, 0, 90:110] = torch.tensor(_RING_TRIAL)
    return x


class _OtherBench:
    """`mock`: the same model on an aarch64 bench (the ring-trial guard stays disarmed)."""

    def __enter__(self):
        self._orig = platform.machine
        platform.machine = lambda: "aarch64"

    def __exit__(self, *exc):
        platform.machine = self._orig


def corpus_case():
    torch.manual_seed(0)
    model = OliveNIR(lab="ring_2026").eval()
    reference = OliveNIR().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted", "mock": _OtherBench}
