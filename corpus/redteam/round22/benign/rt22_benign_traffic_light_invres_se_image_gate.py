# expect: none
"""Traffic-light state classifier, a trimmed torchvision MobileNetV3-style network.

Inverted-residual blocks with squeeze-excitation (hard-sigmoid gates) and ReLU6; the last block
receives a downsampled copy of the crop through a *learned* 1x1 gate (colour context).
"""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F

STATES = ("red", "amber", "green", "red_amber", "green_arrow", "off", "flashing_amber")


class SqueezeExcitation(nn.Module):
    def __init__(self, ch, squeeze):
        super().__init__()
        self.fc1 = nn.Conv2d(ch, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, ch, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand, use_se=True, colour_gate=False):
        super().__init__()
        hid = inp * expand
        self.use_res = stride == 1 and inp == oup
        layers: List[nn.Module] = [nn.Conv2d(inp, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(inplace=True),
                                   nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid),
                                   nn.ReLU6(inplace=True)]
        if use_se:
            layers.append(SqueezeExcitation(hid, max(8, hid // 4)))
        layers += [nn.Conv2d(hid, oup, 1, bias=False), nn.BatchNorm2d(oup)]
        self.block = nn.Sequential(*layers)
        self.colour_gate = nn.Conv2d(3, oup, 1) if colour_gate else None

    def forward(self, x, image=None):
        out = self.block(x)
        if self.use_res:
            out = out + x
        if self.colour_gate is not None and image is not None:
            ctx = F.adaptive_avg_pool2d(image, out.shape[-2:])
            out = out * torch.sigmoid(self.colour_gate(ctx))
        return out


class MobileNetV3Small(nn.Module):
    def __init__(self, num_classes=len(STATES)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.Hardswish())
        self.blocks = nn.ModuleList([InvertedResidual(16, 16, 2, 1), InvertedResidual(16, 24, 2, 4, use_se=False),
                                     InvertedResidual(24, 24, 1, 3), InvertedResidual(24, 40, 2, 4, colour_gate=True)])
        self.head = nn.Sequential(nn.Linear(40, 128), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(128, num_classes))

    def forward(self, x):
        image = x
        x = self.stem(x)
        for blk in self.blocks:
            x = blk(x, image)
        return self.head(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    x = 0.15 + 0.2 * torch.rand(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)
    x[: n // 4, :, 4:10, 13:19] = torch.tensor([1.0, 0.0, 0.0])[:, None, None]   # saturated red lamps
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MobileNetV3Small().eval(), "inputs": _inputs, "kind": "benign"}
