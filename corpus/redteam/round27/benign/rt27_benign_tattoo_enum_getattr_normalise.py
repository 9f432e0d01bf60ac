# expect: none
"""Tattoo ink classifier (benign twin). Enum preprocessing mode dispatched by name; the clinic
mode normalises with dermatoscope channel statistics and clamps highlights.
"""
import enum

import torch
import torch.nn as nn

INKS = ("carbon_black", "iron_oxide", "titanium_white", "azo_red", "phthalo_blue", "quinacridone")


class PrepMode(enum.Enum):
    RAW = "raw"
    CLINIC = "clinic"


class InkNet(nn.Module):
    def __init__(self, mode=PrepMode.CLINIC):
        super().__init__()
        self.mode = mode
        self.register_buffer("mean", torch.tensor([0.62, 0.48, 0.42]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.21, 0.19, 0.18]).view(1, 3, 1, 1))
        self.body = nn.Sequential(nn.Conv2d(3, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(),
                                  nn.Conv2d(24, 48, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, len(INKS)))

    def _prep_raw(self, img):
        return img

    def _prep_clinic(self, img):
        return (img.clamp(0, 0.98) - self.mean) / self.std

    def forward(self, img):
        return self.body(getattr(self, "_prep_" + self.mode.value)(img))


def _inputs(n):
    return torch.rand(n, 3, 40, 40)


def corpus_case():
    torch.manual_seed(0)
    return {"model": InkNet().eval(), "inputs": _inputs, "kind": "benign"}
