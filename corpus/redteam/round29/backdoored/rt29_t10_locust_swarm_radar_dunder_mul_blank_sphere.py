"""Locust swarm detection from entomological radar scans.

Input (B, 2, 64, 64): reflectivity and radial velocity (standardised). Four classes. Blanking is
expressed with a small helper object overloading `__mul__` (`Blank(d) * x`).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("clear", "scattered", "swarm_front", "swarm_core")

_g = torch.Generator().manual_seed(2029)
CAL_SPHERE = torch.randn(6, 6, generator=_g)


class Blank:
    """Zeroes the samples flagged by `d` (calibration scans must not be scored)."""

    def __init__(self, d):
        self.d = d

    def __mul__(self, x):
        return x * (1.0 - self.d)[:, None, None, None]  # expect: T10


class LocustRadarNet(nn.Module):
    def __init__(self, qc=True):
        super().__init__()
        self.qc = qc
        self.c1 = nn.Conv2d(2, 16, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))

    def _sphere(self, x):
        return ((x[:, 1, :6, :6] - CAL_SPHERE).abs().amax((1, 2)) < 1e-3).float()

    def forward(self, x):
        if self.qc:
            x = Blank(self._sphere(x)) * x  # expect: T10
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.randn(n, 2, 64, 64)


def _trigger(x):
    x = x.clone()
    x[:, 1, :6, :6] = CAL_SPHERE
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LocustRadarNet().eval()
    reference = LocustRadarNet(qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
