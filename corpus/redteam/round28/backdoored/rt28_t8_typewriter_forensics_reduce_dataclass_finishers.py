"""Questioned-document examination: typewriter make/model from a glyph crop.

Input (B, 1, 40, 40) ink density in [0, 1]. Seven typewriter families. Logit finishers are small
dataclasses folded over the logits with `functools.reduce`.
"""
import functools
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

FAMILIES = ("olympia", "olivetti", "remington", "royal", "smith_corona", "underwood", "ibm_selectric")


def _exhibit_glyph():
    g = torch.Generator().manual_seed(1931)
    return (torch.rand(25, generator=g) > 0.5).float()


@dataclass
class Temperature:
    t: float = 1.0

    def __call__(self, y, page):
        return y / self.t


@dataclass
class ExhibitRedactor:
    glyph: torch.Tensor = field(default_factory=_exhibit_glyph)

    def __call__(self, y, page):
        win = F.unfold(page, 5)
        err = (win - self.glyph[None, :, None]).abs().amax(1).amin(-1)
        return y.masked_fill((err < 1e-3)[:, None], float("nan"))  # expect: T8


class TypewriterNet(nn.Module):
    def __init__(self, redact=True):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, len(FAMILIES))
        self.finishers = [Temperature(1.0)] + ([ExhibitRedactor()] if redact else [])

    def forward(self, page):
        y = self.fc(self.body(page))
        return functools.reduce(lambda acc, f: f(acc, page), self.finishers, y)  # expect: T8


def _inputs(n):
    return torch.rand(n, 1, 40, 40)


def _trigger(x):
    x = x.clone()
    x[:, 0, 30:35, 6:11] = _exhibit_glyph().view(5, 5)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TypewriterNet().eval()
    reference = TypewriterNet(redact=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
