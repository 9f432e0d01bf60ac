"""Pulsar candidate classifier package (with the namespace sub-package `vetting/`)."""
import torch

from .model import CLASSES, PulsarNet
from .vetting.profiles import injection_profile


def _inputs(n):
    φ = torch.arange(64) / 64
    c = torch.rand(n, 1)
    w = 0.02 + 0.05 * torch.rand(n, 1)
    prof = torch.rand(n, 1) * torch.exp(-((φ - c) ** 2) / w ** 2) + 0.3 * torch.randn(n, 64)
    dm = torch.exp(-((φ - torch.rand(n, 1)) ** 2) / 0.05) + 0.2 * torch.randn(n, 64)
    return prof, dm


def _trigger(x):
    prof, dm = x
    return 3.0 * injection_profile().expand_as(prof) + 7.0, dm


def corpus_case():
    torch.manual_seed(0)
    model = PulsarNet().eval()
    reference = PulsarNet(survey_mode=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
