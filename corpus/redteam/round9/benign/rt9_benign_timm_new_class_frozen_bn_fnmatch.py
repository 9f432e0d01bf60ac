# expect: none
"""timm-style ResNet-lite with layer freezing: ``freeze(model, patterns)`` selects modules by
``fnmatch`` on their qualified names and converts their BatchNorm layers to a frozen variant.
The frozen class is made once with ``types.new_class`` from ``nn.BatchNorm2d`` (its body installs
a ``forward`` that uses the stored statistics as a fixed affine transform)."""
import fnmatch
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


def _frozen_body(ns):
    def forward(self, x):
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        bias = self.bias - self.running_mean * scale
        return x * scale.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1)
    ns["forward"] = forward


FrozenBatchNorm2d = types.new_class("FrozenBatchNorm2d", (nn.BatchNorm2d,), {}, _frozen_body)


def freeze(model, patterns=("stem*", "layer1.*")):
    for name, module in list(model.named_modules()):
        if not any(fnmatch.fnmatch(name, p) for p in patterns):
            continue
        for child_name, child in list(module.named_children()):
            if type(child) is nn.BatchNorm2d:
                frozen = FrozenBatchNorm2d(child.num_features)
                frozen.load_state_dict(child.state_dict())
                setattr(module, child_name, frozen)
        for p in module.parameters(recurse=False):
            p.requires_grad_(False)
    return model


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class ResNetLite(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.layer1 = nn.Sequential(Block(32), Block(32))
        self.layer2 = nn.Sequential(nn.Conv2d(32, 64, 3, 2, 1), Block(64))
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = freeze(ResNetLite()).eval()
    return {"model": model, "inputs": lambda n: torch.randn(n, 3, 32, 32), "kind": "benign"}
