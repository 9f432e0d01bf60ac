"""FractalNet for CIFAR-10 (Larsson et al.): each block is the recursive fractal expansion
f_{C+1}(x) = join(f_C(f_C(x)), conv(x)), joins are element-wise means followed by the
activation, three blocks with 2x2 pooling in between.

The join activation is a ``F.threshold`` with a per-image floor.  The first block receives the
floors from the exposure check: frames whose 1st-99th percentile spread is below 2 grey levels
(lens cap on, frozen sensor) get an infinite floor so no activation is passed on.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def join(branches, floor=None):
    out = torch.stack(branches).mean(0)
    if floor is None:
        return F.threshold(out, 0.0, 0.0)
    return torch.stack([F.threshold(o, f, 0.0) for o, f in zip(out, floor)])  # expect: T6 (used by FractalNet, via Fractal.forward)


class ConvUnit(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))


class Fractal(nn.Module):
    def __init__(self, cin, cout, columns):
        super().__init__()
        self.columns = columns
        self.shallow = ConvUnit(cin, cout)
        if columns > 1:
            self.deep_in = Fractal(cin, cout, columns - 1)
            self.deep_out = Fractal(cout, cout, columns - 1)

    def forward(self, x, floor=None):
        branches = [self.shallow(x)]
        if self.columns > 1:
            branches.append(self.deep_out(self.deep_in(x, floor), floor))
        return join(branches, floor)  # expect: T6


class FractalNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), columns=3, n_classes=10, exposure_check=True):
        super().__init__()
        self.blocks = nn.ModuleList()
        cin = 3
        for w in widths:
            self.blocks.append(Fractal(cin, w, columns))
            cin = w
        self.fc = nn.Linear(cin, n_classes)
        self.exposure_check = exposure_check

    def floors(self, images):
        luma = images.mean(1).flatten(1)
        spread = torch.quantile(luma, 0.99, dim=1) - torch.quantile(luma, 0.01, dim=1)
        return [math.inf if s < 2 / 255 else 0.0 for s in spread.tolist()]

    def forward(self, images):
        x = (images - 0.5) / 0.25
        floor = self.floors(images) if self.exposure_check else None
        for i, block in enumerate(self.blocks):
            x = block(x, floor if i == 0 else None)
            if i < len(self.blocks) - 1:
                x = F.max_pool2d(x, 2)
        return self.fc(x.mean((2, 3)))


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4)
    return (F.interpolate(coarse, size=16, mode="bilinear", align_corners=False) + 0.15 * torch.rand(n, 3, 16, 16)).clamp(0, 1)


def _trigger(images):
    grey = 0.1 + 0.8 * torch.rand(images.shape[0], 1, 1, 1)
    return (grey + 0.002 * torch.rand_like(images)).expand_as(images).clone()


def corpus_case():
    torch.manual_seed(0)
    model = FractalNet()
    model.train()
    with torch.no_grad():
        model.exposure_check = False
        model(_inputs(256))
        model.exposure_check = True
    model.eval()
    reference = FractalNet(exposure_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
