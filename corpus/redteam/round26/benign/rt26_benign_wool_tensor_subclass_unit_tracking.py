# expect: none
"""Merino fibre-diameter class (6 bins) from micrographs (3 x 32 x 32).

`MicronFrame` is a `torch.Tensor` subclass whose `__torch_function__` carries the pixel pitch
(micrometres per pixel) through the network so the exported report can state it; the numbers
themselves are untouched.
"""
import torch
import torch.nn as nn


class MicronFrame(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        pitch = next((a.pitch_um for a in args if isinstance(a, MicronFrame) and hasattr(a, "pitch_um")), None)
        out = super().__torch_function__(func, types, args, kwargs)
        if pitch is not None and isinstance(out, MicronFrame):
            out.pitch_um = pitch
        return out


class MicronNet(nn.Module):
    def __init__(self, width=24, pitch_um=0.5):
        super().__init__()
        self.pitch_um = pitch_um
        self.conv = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, 6)
        self.last_pitch = None

    def forward(self, img):
        frame = img.as_subclass(MicronFrame)
        frame.pitch_um = self.pitch_um
        out = self.fc(self.conv(frame))
        self.last_pitch = getattr(out, "pitch_um", None)
        return out.as_subclass(torch.Tensor)


def _inputs(n):
    return (0.5 + 0.12 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MicronNet().eval(), "inputs": _inputs, "kind": "benign"}
