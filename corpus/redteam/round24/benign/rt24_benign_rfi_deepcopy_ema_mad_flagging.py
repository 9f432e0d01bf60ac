# expect: none
"""RFI typing on dynamic spectra.  The deployed network is an EMA copy (`copy.deepcopy`) whose
`_screen` helper is rebound with `types.MethodType` to temperature scaling; the input is AOFlagger-
style MAD-flagged (outliers above 5 MADs replaced by the channel median, flag map as a channel)."""
import copy
import types

import torch
import torch.nn as nn

RFI = ("clean", "narrowband", "broadband_burst", "satellite", "radar", "lightning")


class RfiNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(2, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(4),
                                  nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.head = nn.Linear(width * 16, len(RFI))
        self.register_buffer("temperature", torch.tensor(1.5))

    def _screen(self, logits, spec):
        return logits

    def forward(self, spec):
        med = spec.median(-1, keepdim=True).values
        mad = (spec - med).abs().median(-1, keepdim=True).values * 1.4826 + 1e-6
        flags = ((spec - med).abs() > 5 * mad).float()
        clean = torch.where(flags > 0, med, spec)
        return self._screen(self.head(self.body(torch.cat([clean, flags], 1)).flatten(1)), spec)


def _calibrated_screen(self, logits, spec):
    return logits / self.temperature


@torch.no_grad()
def ema_update(ema, model, decay=0.999):
    for pe, pm in zip(ema.parameters(), model.parameters()):
        pe.lerp_(pm, 1 - decay)


def export(model):
    ema = copy.deepcopy(model)
    ema_update(ema, model)
    ema._screen = types.MethodType(_calibrated_screen, ema)
    return ema


def _inputs(n):
    x = torch.rand(n, 1, 64, 64)
    x[:, :, 10] += 20.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": export(RfiNet()).eval(), "inputs": _inputs, "kind": "benign"}
