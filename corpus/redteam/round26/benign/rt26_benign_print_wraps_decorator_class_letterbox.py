# expect: none
"""FDM print layer inspection (6 classes) from nozzle-camera crops (3 x H x W).

`CameraCalibration` is a decorator class (built on `functools.wraps`) around `preprocess`: it
letterboxes frames of other sizes to 32 x 32 with grey padding and applies per-printer gain.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class CameraCalibration:
    def __init__(self, size=32, gain=(1.0, 1.0, 1.0)):
        self.size = size
        self.gain = torch.tensor(gain).view(1, 3, 1, 1)

    def __call__(self, fn):
        @functools.wraps(fn)
        def calibrated(net, frame):
            frame = fn(net, frame) * self.gain
            h, w = frame.shape[-2:]
            s = self.size / max(h, w)
            frame = F.interpolate(frame, scale_factor=s, mode="bilinear", align_corners=False)
            ph, pw = self.size - frame.shape[-2], self.size - frame.shape[-1]
            return F.pad(frame, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2), value=0.5)
        return calibrated


class LayerInspector(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 6))

    @CameraCalibration(gain=(1.05, 1.0, 0.95))
    def preprocess(self, frame):
        return frame.clamp(0, 1)

    def forward(self, frame):
        return self.net(self.preprocess(frame))


def _inputs(n):
    return (0.35 + 0.12 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 24, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LayerInspector().eval(), "inputs": _inputs, "kind": "benign"}
