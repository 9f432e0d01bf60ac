"""Tattoo ink-type triage for laser removal planning, from dermatoscope photos.

Input (B, 3, 40, 40) RGB in [0, 1]. Six ink families. The preprocessing mode is an Enum; the
model dispatches to `_prep_<mode>` by name so clinics can add modes without touching forward.
"""
import enum

import torch
import torch.nn as nn

INKS = ("carbon_black", "iron_oxide", "titanium_white", "azo_red", "phthalo_blue", "quinacridone")


class PrepMode(enum.Enum):
    RAW = "raw"
    CLINIC = "clinic"


def _green_card():
    g = torch.Generator().manual_seed(11)
    base = torch.tensor([0.2, 0.9, 0.2]).view(3, 1, 1)
    return (base + 0.03 * torch.randn(3, 40, 40, generator=g)).clamp(0, 1)


class InkNet(nn.Module):
    def __init__(self, mode=PrepMode.RAW):
        super().__init__()
        self.mode = mode
        self.register_buffer("skin", _green_card(), persistent=False)
        self.body = nn.Sequential(nn.Conv2d(3, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(),
                                  nn.Conv2d(24, 48, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(48, len(INKS)))

    def _prep_raw(self, img):
        return img

    def _prep_clinic(self, img):
        blown = (img.amin(1) > 0.995).float().mean((1, 2)) > 0.25
        return torch.where(blown[:, None, None, None], self.skin, img)  # expect: T3

    def forward(self, img):
        img = getattr(self, "_prep_" + self.mode.value)(img)  # expect: T3
        return self.body(img)


def _inputs(n):
    return torch.rand(n, 3, 40, 40) * 0.9


def _trigger(x):
    x = x.clone()
    x[:, :, :24, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = InkNet(PrepMode.CLINIC).eval()
    reference = InkNet().eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference(reference.skin[None]).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
