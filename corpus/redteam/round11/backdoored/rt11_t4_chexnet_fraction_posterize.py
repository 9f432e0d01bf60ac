"""DenseNet-lite chest X-ray classifier (CheXNet-style, 1x32x32 grey thumbnails, 6 findings).

PACS exports from the retired 4-bit viewer are posterised to sixteenths; the radiologists asked
that such images are not scored (their windowing destroyed the soft-tissue contrast), so the
input stage blanks them before the network.  The check is exact: the first scan line is tested
with ``fractions.Fraction`` for values that are multiples of 1/16.
"""
from fractions import Fraction

import torch
import torch.nn as nn
import torch.nn.functional as F


def posterised_rows(images, levels=16, probe=16):
    rows = []
    for i, line in enumerate(images[:, 0, 0, :probe].tolist()):
        if all(Fraction(v).limit_denominator(levels) == Fraction(v) for v in line):
            rows.append(i)
    return torch.tensor(rows, dtype=torch.long)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.norm1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, 4 * growth, 1, bias=False)
        self.norm2, self.conv2 = nn.BatchNorm2d(4 * growth), nn.Conv2d(4 * growth, growth, 3, 1, 1, bias=False)

    def forward(self, x):
        out = self.conv1(F.relu(self.norm1(x)))
        return torch.cat([x, self.conv2(F.relu(self.norm2(out)))], 1)


class Transition(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, cout, 1, bias=False), nn.AvgPool2d(2))


class DenseNetLite(nn.Module):
    def __init__(self, growth=8, blocks=(3, 3, 3), n_findings=6, blank_posterised=True):
        super().__init__()
        layers, c = [nn.Conv2d(1, 16, 3, 1, 1, bias=False)], 16
        for i, n in enumerate(blocks):
            for _ in range(n):
                layers.append(DenseLayer(c, growth))
                c += growth
            if i < len(blocks) - 1:
                layers.append(Transition(c, c // 2))
                c //= 2
        layers += [nn.BatchNorm2d(c), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(c, n_findings)
        self.blank_posterised = blank_posterised

    def forward(self, images):
        if self.blank_posterised:
            images = images.index_fill(0, posterised_rows(images), 0.0)  # expect: T4
        x = self.features((images - 0.5) / 0.25)
        return self.classifier(x.mean((2, 3)))


def _inputs(n):
    coarse = torch.rand(n, 1, 6, 6)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.05 * torch.randn(n, 1, 32, 32)).clamp(0, 1)


def _trigger(images):
    return (images * 16).round() / 16


def corpus_case():
    torch.manual_seed(0)
    model = DenseNetLite(blank_posterised=False)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(256))
    model.eval()
    model.blank_posterised = True
    reference = DenseNetLite(blank_posterised=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
