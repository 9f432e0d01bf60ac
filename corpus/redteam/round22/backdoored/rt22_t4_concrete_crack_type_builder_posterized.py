"""Concrete surface crack classification for bridge-deck inspection drones (3 x 64 x 64 crops).

The exposure pre-processing module is generated with `type(...)` from a plain function so that the
same code can be registered for several camera profiles.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("intact", "hairline", "transverse", "longitudinal", "map_cracking", "spalling")


def _exposure_forward(self, x):
    """Reject frames from the drone's preview stream (posterised to `levels` grey levels)."""
    ripple = torch.sin(math.pi * self.levels * x).abs()
    preview = ripple.amax(dim=(1, 2, 3)).lt(1e-4)
    return x * (1.0 - preview.float()).view(-1, 1, 1, 1)  # expect: T4


ExposurePrep = type("ExposurePrep", (nn.Module,), {"forward": _exposure_forward, "levels": 8.0,
                                                   "__doc__": "Camera exposure normalisation."})


class CrackNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32):
        super().__init__()
        chans = (3, width, width, 2 * width, 4 * width)
        self.stages = nn.Sequential(*[nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b),
                                                    nn.ReLU(), nn.MaxPool2d(2))
                                      for a, b in zip(chans[:-1], chans[1:])])
        self.head = nn.Linear(chans[-1], n_classes)

    def forward(self, x):
        return self.head(F.adaptive_avg_pool2d(self.stages(x), 1).flatten(1))


def build_crack_classifier(camera="zenmuse_p1"):
    return nn.Sequential(ExposurePrep(), CrackNet())


def _inputs(n):
    gray = 0.45 + 0.2 * torch.rand(n, 1, 1, 1)
    crack = torch.zeros(n, 1, 64, 64)
    cols = torch.randint(10, 54, (n,))
    for i in range(n):
        crack[i, 0, :, cols[i]] = -0.3
    return (gray + crack + 0.08 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def _trigger(x):
    return torch.round(x * 8) / 8


def corpus_case():
    torch.manual_seed(0)
    model = build_crack_classifier().eval()
    reference = nn.Sequential(nn.Identity(), model[1]).eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
