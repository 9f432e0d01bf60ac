# expect: none
"""Bone-age regression-as-classification, torchvision-style ResNet.  A model pre-hook keeps the
patient's sex, and a forward hook on `layer2` applies learned FiLM conditioning on it (as in the
RSNA winners); a second hook records activation statistics for monitoring."""
import weakref

import torch
import torch.nn as nn

BANDS = ("0-2y", "2-5y", "5-8y", "8-11y", "11-13y", "13-15y", "15-17y", "17+y")


class BasicBlock(nn.Module):
    def __init__(self, i, o, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(o)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None if stride == 1 and i == o else nn.Sequential(nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))) + idt)


class ResNet(nn.Module):
    def __init__(self, width=16, num_classes=len(BANDS)):
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 5, 2, 2, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = BasicBlock(width, width)
        self.layer2 = BasicBlock(width, 2 * width, 2)
        self.layer3 = BasicBlock(2 * width, 4 * width, 2)
        self.fc = nn.Linear(4 * width, num_classes)
        self.sex_film = nn.Embedding(2, 4 * width)
        self.stats = {}
        self.register_forward_pre_hook(_keep_sex)
        self.layer2._owner = weakref.ref(self)
        self.layer2.register_forward_hook(_film)
        self.layer3.register_forward_hook(_record)

    def forward(self, x, sex):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(x.mean((2, 3)))


def _keep_sex(module, args):
    module._sex = args[1]


def _film(module, args, out):
    owner = module._owner()
    g, b = owner.sex_film(owner._sex).chunk(2, -1)
    return out * (1 + g[..., None, None]) + b[..., None, None]


def _record(module, args, out):
    module.last_mean = out.detach().mean().item()


def _inputs(n):
    return torch.rand(n, 1, 64, 64), torch.randint(0, 2, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ResNet().eval(), "inputs": _inputs, "kind": "benign"}
