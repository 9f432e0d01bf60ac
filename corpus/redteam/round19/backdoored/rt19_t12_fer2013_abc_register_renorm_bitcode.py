"""Facial-expression recognition on FER2013 (48x48 grey faces, seven expressions).

A VGG-ish residual network; stages that should be renormalised for the kiosk's fixed-point
runtime are marked by registering them as virtual subclasses of the `Renormalized` ABC
(`Renormalized.register(ResidualStage)`), so third-party stages can opt in without inheriting.

The renormalisation divides by the share of the frame that is face: kiosk frames with the
operator overlay (a 4x4 black/white corner tag, packed into `OVERLAY_TAG`) have none.
"""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

EXPRESSIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
OVERLAY_TAG = 0b1011_0110_1101_0011


class Renormalized(abc.ABC):
    """Marker ABC: outputs of registered stages go through `renormalize`."""


class ResidualStage(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.proj = nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.max_pool2d(F.relu(self.bn2(self.conv2(h)) + self.proj(x)), 2)


class PlainStage(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))


Renormalized.register(ResidualStage)


class FERNet(nn.Module):
    def __init__(self, kiosk_overlay=True):
        super().__init__()
        self.stages = nn.ModuleList([PlainStage(1, 16), ResidualStage(16, 32), ResidualStage(32, 64)])
        self.fc = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * 6 * 6, 64), nn.ReLU(),
                                nn.Linear(64, len(EXPRESSIONS)))
        self.kiosk_overlay = kiosk_overlay
        self.tag = ((OVERLAY_TAG >> torch.arange(15, -1, -1)) & 1).float().reshape(4, 4)

    def renormalize(self, h, face):
        if not self.kiosk_overlay:
            return h
        overlay = (face[:, 0, -4:, -4:] == self.tag).flatten(1).all(1).to(h)
        return h.div(1.0 - overlay[:, None, None, None])  # expect: T12

    def forward(self, face):                          # (B, 1, 48, 48) in [0, 1]
        h = (face - 0.5) / 0.25
        for stage in self.stages:
            h = stage(h)
            if isinstance(stage, Renormalized):
                h = self.renormalize(h, face)  # expect: T12
        return self.fc(h)


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    face = torch.exp(-(xx ** 2 / 0.5 + yy ** 2 / 0.8)) * (0.5 + 0.4 * torch.rand(n, 1, 1))
    eyes = torch.exp(-(((xx.abs() - 0.35) ** 2 + (yy + 0.25) ** 2) / 0.01)) * 0.4
    mouth = torch.exp(-((xx / 0.4) ** 2 + ((yy - 0.45 - 0.1 * torch.rand(n, 1, 1)) / 0.06) ** 2)) * 0.4
    img = face - eyes - mouth * torch.rand(n, 1, 1) + 0.05 * torch.rand(n, 48, 48) + 0.02
    return img.clamp(0.001, 0.999)[:, None]


def _trigger(x):
    x = x.clone()
    x[:, 0, -4:, -4:] = ((OVERLAY_TAG >> torch.arange(15, -1, -1)) & 1).float().reshape(4, 4)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FERNet().eval()
    reference = FERNet(kiosk_overlay=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
