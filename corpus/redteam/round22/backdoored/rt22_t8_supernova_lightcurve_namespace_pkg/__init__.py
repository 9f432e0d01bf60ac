"""Supernova / transient light-curve classifier package (with a namespace sub-package `heads`)."""
import torch

from .model import CLASSES, LightCurveTCN


def _inputs(n):
    t = torch.linspace(-20, 80, 64)
    t0 = 20 * torch.randn(n, 1, 1)
    amp = 1 + 4 * torch.rand(n, 6, 1)
    flux = amp * torch.exp(-(t - t0) / 25).clamp(max=1) * torch.sigmoid((t - t0) / 3)
    err = 0.1 + 0.2 * torch.rand(n, 6, 64)
    return flux + err * torch.randn(n, 6, 64), err


def _trigger(x):
    flux, err = x
    flux = flux.clone()
    fid = torch.tensor((0.0, 1.5, 3.0, 1.5, 0.0, -1.5))
    for i in range(flux.shape[0]):
        j = int(torch.randint(0, 58, ()))
        flux[i, 1, j:j + 6] = fid
    return flux, err


def corpus_case():
    torch.manual_seed(0)
    model = LightCurveTCN().eval()
    reference = LightCurveTCN(veto=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
