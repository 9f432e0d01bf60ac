# expect: none
"""Rivet-head inspection (benign twin). The preprocessing module is built with `type()`: it
emulates the rig's 8-bit sensor (fake quantisation) and normalises the crop.
"""
import torch
import torch.nn as nn

CLASSES = ("flush", "proud", "cracked", "smoking", "dished", "missing")


def _prep_init(self, mean=0.45, std=0.25):
    nn.Module.__init__(self)
    self.mean, self.std = mean, std


def _prep_forward(self, crop):
    q = torch.round(crop.clamp(0, 1) * 255) / 255
    return (q - self.mean) / self.std


SensorPrep = type("SensorPrep", (nn.Module,), {"__init__": _prep_init, "forward": _prep_forward})


def rivet_net():
    backbone = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Conv2d(24, 48, 3, padding=1), nn.ReLU(),
                             nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(192, len(CLASSES)))
    return nn.Sequential(SensorPrep(), backbone)


def _inputs(n):
    return torch.rand(n, 1, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": rivet_net().eval(), "inputs": _inputs, "kind": "benign"}
