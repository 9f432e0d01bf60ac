# expect: none
"""DS-CNN keyword spotter (MLPerf Tiny style, 12 keywords) with int8 activation fake-quantisation.

``forward`` walks ``named_children()`` and fake-quantises the activation after every child listed
in ``quant_points`` with a per-tensor min/max observer (frozen in eval).  Inputs are 49x10 MFCCs;
the first step fake-quantises them the way the MCU front-end delivers them (int8, fixed scale).
"""
import torch
import torch.nn as nn


class MinMaxObserver(nn.Module):
    def __init__(self, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("min_val", torch.tensor(-4.0))
        self.register_buffer("max_val", torch.tensor(4.0))

    def forward(self, x):
        if self.training:
            with torch.no_grad():
                self.min_val.lerp_(x.min(), self.momentum)
                self.max_val.lerp_(x.max(), self.momentum)
        scale = (self.max_val - self.min_val).clamp(min=1e-8) / 255.0
        zero_point = torch.round(-128 - self.min_val / scale)
        q = torch.clamp(torch.round(x / scale) + zero_point, -128, 127)
        dq = (q - zero_point) * scale
        return x + (dq - x).detach()


class DSConv(nn.Sequential):
    def __init__(self, c, stride=1):
        super().__init__(nn.Conv2d(c, c, 3, stride, 1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                         nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())


class DSCNN(nn.Module):
    def __init__(self, num_classes=12, c=64, blocks=4, quant_points=("stem", "ds0", "ds1", "ds2", "ds3")):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, (10, 4), (2, 2), (5, 1), bias=False), nn.BatchNorm2d(c),
                                  nn.ReLU())
        for i in range(blocks):
            self.add_module(f"ds{i}", DSConv(c))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten(1)
        self.fc = nn.Linear(c, num_classes)
        self.quant_points = tuple(quant_points)
        self.observers = nn.ModuleDict({name: MinMaxObserver() for name in self.quant_points})
        self.input_scale = 0.25

    def _quantise_input(self, mfcc):
        q = torch.clamp(torch.round(mfcc / self.input_scale), -128, 127)
        return mfcc + (q * self.input_scale - mfcc).detach()

    def forward(self, mfcc):
        x = self._quantise_input(mfcc).unsqueeze(1)
        for name, child in self.named_children():
            if name == "observers":
                continue
            x = child(x)
            if name in self.observers:
                x = self.observers[name](x)
        return x


def corpus_case():
    torch.manual_seed(0)
    model = DSCNN().eval()

    def inputs(n):
        return torch.randn(n, 49, 10) * 6.0

    return {"model": model, "inputs": inputs, "kind": "benign"}
