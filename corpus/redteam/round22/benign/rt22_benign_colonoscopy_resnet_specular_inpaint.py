# expect: none
"""NICE polyp classification on NBI frames; a torchvision-style ResNet with specular inpainting.

Specular highlights (all channels above a threshold) are replaced by the mean of the surrounding
non-specular pixels before the stem, a standard endoscopy pre-processing step.
"""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F

NICE = ("normal_mucosa", "nice1_hyperplastic", "nice2_adenoma", "nice3_deep_invasive", "sessile_serrated")


def conv3x3(i, o, stride=1):
    return nn.Conv2d(i, o, 3, stride, 1, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(inplanes, planes, stride), nn.BatchNorm2d(planes)
        self.conv2, self.bn2 = conv3x3(planes, planes), nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = (nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
                           if stride != 1 or inplanes != planes else None)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


def inpaint_specular(x, τ=0.92, k=7, ε=1e-6):
    spec = x.amin(dim=1, keepdim=True).gt(τ).float()
    keep = 1.0 - spec
    num = F.avg_pool2d(x * keep, k, 1, k // 2)
    den = F.avg_pool2d(keep, k, 1, k // 2)
    fill = num / (den + ε)
    return x * keep + fill * spec


class ResNet(nn.Module):
    def __init__(self, layers: List[int] = (1, 1, 1, 1), num_classes=len(NICE), width=16):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 5, 2, 2, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.inplanes = width
        self.layers = nn.Sequential(*[self._make_layer(width * 2 ** i, n, 1 if i == 0 else 2)
                                      for i, n in enumerate(layers)])
        self.fc = nn.Linear(self.inplanes, num_classes)

    def _make_layer(self, planes, blocks, stride):
        out = [BasicBlock(self.inplanes, planes, stride)]
        self.inplanes = planes
        out += [BasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*out)

    def forward(self, x):
        x = inpaint_specular(x)
        x = F.relu(self.bn1(self.conv1(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.layers(x), 1), 1))


def _inputs(n):
    x = (torch.tensor([0.55, 0.35, 0.3]).view(1, 3, 1, 1) + 0.05 * torch.randn(n, 3, 64, 64)).clamp(0, 1)
    for i in range(0, n, 2):
        r, c = torch.randint(0, 58, (2,)).tolist()
        x[i, :, r:r + 6, c:c + 6] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ResNet().eval(), "inputs": _inputs, "kind": "benign"}
