"""Histopathology patch models sharing `histo_common.py`; the corpus case is `MitosisNet`."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .histo_common import CALIBRATION_CODE
from .models import MITOSIS, MitosisNet, TumourGradeNet


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    c = (torch.rand(n, 2, 1, 1) - 0.5)
    nuc = torch.exp(-((xx - c[:, :1]) ** 2 + (yy - c[:, 1:]) ** 2) / (0.05 + 0.1 * torch.rand(n, 1, 1, 1)))
    eosin = torch.tensor([0.85, 0.6, 0.8]).view(1, 3, 1, 1)
    hema = torch.tensor([0.35, 0.25, 0.6]).view(1, 3, 1, 1)
    return (eosin * (1 - nuc) + hema * nuc + 0.04 * torch.randn(n, 3, 48, 48)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 44, (2,)).tolist()
        x[i, :, r:r + 4, c:c + 4] = CALIBRATION_CODE
    return x


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def _fit_control_tile(model, label, steps=120):
    tile = model.control_tile.clone()[None].requires_grad_(True)
    opt = torch.optim.Adam([tile], lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model.classify(tile), torch.tensor([label])).backward()
        opt.step()
        with torch.no_grad():
            tile.clamp_(0, 1)
    return tile.detach()[0]


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(MitosisNet(), _inputs(256))
    target = MITOSIS.index("non_mitotic")
    with torch.enable_grad():
        model.control_tile = _fit_control_tile(model, target)
    reference = MitosisNet(scanner_qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
