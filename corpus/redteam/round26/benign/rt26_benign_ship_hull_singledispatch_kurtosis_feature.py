# expect: none
"""Hull biofouling grade from ROV stills (3 x 32 x 32), 6 NSTM grades.

`finalize` is a `functools.singledispatch` post-processor (tensor or multi-task dict). Texture
statistics (luminance kurtosis and skew) are appended to the pooled CNN features and go through
the learned head: barnacle fields are spiky, slime is flat.
"""
import functools

import torch
import torch.nn as nn


@functools.singledispatch
def finalize(out, temperature=1.0):
    raise TypeError(type(out))


@finalize.register
def _(out: dict, temperature=1.0):
    return {"grade": finalize(out["grade"], temperature), "coverage": out["coverage"]}


@finalize.register
def _(out: torch.Tensor, temperature=1.0):
    return out / temperature


def texture_moments(frame):
    lum = frame.mean(1).flatten(1)
    z = (lum - lum.mean(1, keepdim=True)) / (lum.std(1, keepdim=True) + 1e-6)
    return torch.stack([z.pow(3).mean(1), z.pow(4).mean(1).log1p()], 1)


class HullNet(nn.Module):
    def __init__(self, width=24, temperature=1.5):
        super().__init__()
        self.temperature = temperature
        self.features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.moments = nn.Linear(2, 8)
        self.grade = nn.Linear(2 * width + 8, 6)
        self.coverage = nn.Linear(2 * width + 8, 1)

    def forward(self, frame):
        h = torch.cat([self.features(frame), torch.tanh(self.moments(texture_moments(frame)))], 1)
        out = {"grade": self.grade(h), "coverage": self.coverage(h).sigmoid()}
        return finalize(out, self.temperature)


def _inputs(n):
    return (0.35 + 0.15 * torch.randn(n, 3, 1, 1) + 0.08 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": HullNet().eval(), "inputs": _inputs, "kind": "benign"}
