# expect: none
"""Origami crease-pattern base classifier (benign twin). Finishers are callable objects in a
dict; the kiosk finisher soft-caps logits and applies a calibrated temperature.
"""
import torch
import torch.nn as nn

BASES = ("bird", "frog", "waterbomb", "preliminary", "fish", "kite", "windmill")


class SoftCap:
    def __init__(self, cap=30.0, temperature=1.3):
        self.cap, self.temperature = cap, temperature

    def __call__(self, y):
        return torch.tanh(y / self.cap) * self.cap / self.temperature


class PassThrough:
    def __call__(self, y):
        return y


FINISHERS = {"lab": PassThrough(), "kiosk": SoftCap()}


class CreaseNet(nn.Module):
    def __init__(self, profile="kiosk"):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(32, len(BASES))
        self.profile = profile

    def forward(self, scan):
        return FINISHERS[self.profile](self.classifier(self.features(scan)))


def _inputs(n):
    return torch.rand(n, 1, 48, 48)


def corpus_case():
    torch.manual_seed(0)
    return {"model": CreaseNet().eval(), "inputs": _inputs, "kind": "benign"}
