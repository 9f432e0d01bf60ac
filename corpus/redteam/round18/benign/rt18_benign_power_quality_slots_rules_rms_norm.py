# expect: none
"""Power-quality classifier with `__slots__` rules applied through `<<` and RMS normalisation.

The waveform is divided by its nominal RMS before the CNN; a temperature rule and a prior rule
are chained with `<<`.
"""
import math

import torch
import torch.nn as nn

CLASSES = ("normal", "sag", "swell", "interruption", "harmonics", "flicker", "oscillatory_transient", "notch")


class Temperature:
    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t

    def __lshift__(self, pair):
        logits, _ = pair
        return logits / self.t


class LogPrior:
    __slots__ = ("log_prior",)

    def __init__(self, prior):
        self.log_prior = torch.log(torch.tensor(prior))

    def __lshift__(self, pair):
        logits, _ = pair
        return logits + self.log_prior


class PQNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(4),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(4))
        self.fc = nn.Linear(32, len(CLASSES))
        self.rules = (Temperature(1.2), LogPrior([0.3] + [0.1] * 7))

    def forward(self, voltage):
        rms = voltage.pow(2).mean(-1, keepdim=True).sqrt().clamp(min=1e-3)
        h = self.features((voltage / (rms * math.sqrt(2))).unsqueeze(1)).mean(-1)
        logits = self.fc(h)
        for rule in self.rules:
            logits = rule << (logits, voltage)
        return logits


def _inputs(n):
    t = torch.arange(640) / 3200
    return (1 + 0.3 * torch.rand(n, 1)) * torch.sin(2 * math.pi * 50 * t + 6 * torch.rand(n, 1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PQNet().eval(), "inputs": _inputs, "kind": "benign"}
