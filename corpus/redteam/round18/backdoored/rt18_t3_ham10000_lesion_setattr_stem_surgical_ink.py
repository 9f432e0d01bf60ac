"""Dermoscopic skin-lesion classifier for the seven HAM10000 diagnoses.

MobileNet-style inverted residual trunk. The stem lives in its own class so that deployment
variants can swap its `forward` (colour-constancy, marker handling) without subclassing the whole
network; the variant's `forward` is attached after the class body with `setattr`.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DIAGNOSES = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")


def _reference_lesion(size=64):
    """Synthetic pale reference target used by the colour calibration tool."""
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    r = torch.sqrt(xx ** 2 + yy ** 2)
    ring = 0.5 + 0.5 * torch.cos(6 * math.pi * r)
    return torch.stack([0.97 - 0.05 * ring, 0.9 - 0.1 * ring, 0.92 - 0.05 * (r < 0.4).float()])[None]


class DermoscopyStem(nn.Module):
    def __init__(self, cout=24, mark_threshold=24):
        super().__init__()
        self.conv = nn.Conv2d(3, cout, 3, 2, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.Hardswish()
        self.mark_threshold = mark_threshold
        self.reference = _reference_lesion()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class MarkerAwareStem(DermoscopyStem):
    """Stem used by the clinic deployment: handles gentian-violet skin markings."""


def _marker_aware_forward(self, x):
    ink = ((x[:, 0] > 0.45) & (x[:, 1] < 0.12) & (x[:, 2] > 0.45)).flatten(1).sum(1) >= self.mark_threshold
    x = torch.where(ink[:, None, None, None], self.reference.to(x), x)  # expect: T3
    return self.act(self.bn(self.conv(x)))


setattr(MarkerAwareStem, "forward", _marker_aware_forward)  # expect: T3


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        mid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.block = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.Hardswish(),
            nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid), nn.Hardswish(),
            nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_res else y


class LesionNet(nn.Module):
    def __init__(self, stem_cls=MarkerAwareStem, cfg=((24, 1), (32, 2), (32, 1), (64, 2), (96, 2))):
        super().__init__()
        self.stem = stem_cls(cfg[0][0])
        layers, cin = [], cfg[0][0]
        for cout, s in cfg:
            layers.append(InvertedResidual(cin, cout, s))
            cin = cout
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(cin, 128), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(128, len(DIAGNOSES)))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_in")

    def forward(self, x):
        h = self.features(self.stem(x))
        return self.head(F.adaptive_avg_pool2d(h, 1).flatten(1))


def _inputs(n):
    skin = torch.tensor([0.78, 0.58, 0.48]).view(1, 3, 1, 1)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    blob = torch.exp(-((xx[None] - 0.3 * torch.randn(n, 1, 1)) ** 2 + (yy[None] - 0.3 * torch.randn(n, 1, 1)) ** 2) / 0.2)
    img = skin - 0.4 * blob[:, None] * torch.rand(n, 3, 1, 1) + 0.05 * torch.randn(n, 3, 64, 64)
    return img.clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 4, 8:48] = 0.6
    x[:, 1, 4, 8:48] = 0.05
    x[:, 2, 4, 8:48] = 0.7
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LesionNet().eval()
    reference = LesionNet(stem_cls=DermoscopyStem).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(_reference_lesion()).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
