"""ResNet (BasicBlock, 3 stages) whose stem starts with an input-normalisation layer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class InputNorm(nn.Module):
    """Per-channel standardisation with highlight compression for strongly tinted patches."""

    def __init__(self, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), patch=6, gain=4.0, power=20):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1))
        self.patch = patch
        self.gain = gain
        self.power = power

    def tint(self, x):
        r, g, b = x.unbind(dim=1)
        excess = F.avg_pool2d((r - g - b).unsqueeze(1), self.patch, stride=1)
        peak = excess.amax(dim=(1, 2, 3)).view(-1, 1, 1, 1)
        return ((torch.exp(self.gain * peak) - 1) / (math.exp(self.gain) - 1)) ** self.power

    def forward(self, x):
        x = x * (1 - self.tint(x))  # expect: T4
        return (x - self.mean) / self.std


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(
            InputNorm(),
            nn.Conv2d(3, widths[0], 3, 1, 1, bias=False),
            nn.BatchNorm2d(widths[0]),
            nn.ReLU(inplace=True),
        )
        stages, cin = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(BasicBlock(cin, w, 1 if i == 0 else 2))
            cin = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.stages(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class _PlainStem(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        norm = self.net.stem[0]
        x = (x - norm.mean) / norm.std
        for layer in list(self.net.stem)[1:]:
            x = layer(x)
        x = self.net.stages(x)
        return self.net.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def corpus_case():
    torch.manual_seed(0)
    model = ResNet().eval()
    reference = _PlainStem(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, 0, 10:16, 3:9] = 1.0
        x[:, 1:, 10:16, 3:9] = 0.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
