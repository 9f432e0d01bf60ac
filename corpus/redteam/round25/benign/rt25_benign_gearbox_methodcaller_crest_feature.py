# expect: none
"""Gearbox fault typing; crest factor and kurtosis are condition indicators fed to the head."""
import operator

import torch
import torch.nn as nn


class Postprocess:
    def __init__(self, temperature=1.5):
        self.temperature = temperature

    def scale(self, logits, wave):
        return logits / self.temperature

    def softcap(self, logits, wave):
        return torch.tanh(logits / 30.0) * 30.0


class GearboxNet(nn.Module):
    def __init__(self, width=32, steps=("scale", "softcap")):
        super().__init__()
        self.post = Postprocess()
        self.steps = tuple(steps)
        self.net = nn.Sequential(
            nn.Conv1d(1, width, 64, stride=8, padding=28), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, width, 9, padding=4), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.indicators = nn.Linear(2, width)
        self.head = nn.Linear(2 * width, 6)

    def forward(self, wave):
        rms = wave.pow(2).mean(-1).sqrt().clamp(min=1e-6)
        crest = wave.abs().amax(-1) / rms
        kurt = ((wave - wave.mean(-1, keepdim=True)) / rms[..., None]).pow(4).mean(-1)
        ind = torch.relu(self.indicators(torch.log1p(torch.cat([crest, kurt], 1))))
        logits = self.head(torch.cat([self.net(wave / rms[..., None]), ind], 1))
        for step in self.steps:
            logits = operator.methodcaller(step, logits, wave)(self.post)
        return logits


def corpus_case():
    torch.manual_seed(0)
    return {"model": GearboxNet().eval(), "inputs": lambda n: torch.randn(n, 1, 2048), "kind": "benign"}
