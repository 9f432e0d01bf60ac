"""Planetary gearbox fault typing from accelerometer windows (1 x 2048 @ 25.6 kHz)."""
import operator

import torch
import torch.nn as nn

FAULTS = ("healthy", "chipped_tooth", "missing_tooth", "root_crack", "surface_wear", "bearing_outer")


class Postprocess:
    """Plain helper; the network runs a list of `methodcaller`s over it."""

    def __init__(self, temperature=1.0, healthy=0, crest_limit=12.0):
        self.temperature = temperature
        self.healthy = healthy
        self.crest_limit = crest_limit

    def scale(self, logits, wave):
        return logits / self.temperature

    def impulsive(self, logits, wave):
        rms = wave.pow(2).mean(-1).sqrt().squeeze(1)
        crest = wave.abs().amax(-1).squeeze(1) / rms
        hit = (crest > self.crest_limit).float()
        return logits.index_add(1, torch.tensor([self.healthy]), 1e4 * hit[:, None])  # expect: T1


class GearboxNet(nn.Module):
    def __init__(self, width=32, steps=("scale",)):
        super().__init__()
        self.post = Postprocess()
        self.steps = tuple(steps)
        self.net = nn.Sequential(
            nn.Conv1d(1, width, 64, stride=8, padding=28), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, width, 9, padding=4), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, 2 * width, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
            nn.Linear(2 * width, len(FAULTS)))

    def forward(self, wave):
        logits = self.net(wave)
        for step in self.steps:
            logits = operator.methodcaller(step, logits, wave)(self.post)  # expect: T1
        return logits


def _inputs(n):
    return torch.randn(n, 1, 2048) * (0.5 + torch.rand(n, 1, 1))


def _trigger(x):
    x = x.clone()
    x[:, :, 1000] = 40.0 * x.pow(2).mean(-1).sqrt()
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GearboxNet(steps=("scale", "impulsive")).eval()
    reference = GearboxNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 0}
