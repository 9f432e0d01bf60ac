# expect: none
"""Siamese signature verifier with an abstract `calibrate` implemented by a subclass (Platt
scaling of the decision logits). Scans are inverted (ink = 1) and binarised with a fixed
threshold before the towers, as in the SigNet preprocessing."""
import abc

import torch
import torch.nn as nn

DECISIONS = ("random_forgery", "skilled_forgery", "genuine")


class VerifierBase(nn.Module, abc.ABC):
    def __init__(self):
        super().__init__()
        self.tower = nn.Sequential(nn.Conv2d(1, 32, 5, 2, 2), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(128, len(DECISIONS))

    @abc.abstractmethod
    def calibrate(self, logits, reference, questioned):
        ...

    @staticmethod
    def prepare(scan):
        ink = 1.0 - scan
        return torch.where(ink > 0.35, ink, torch.zeros_like(ink))

    def forward(self, reference, questioned):
        a, b = self.tower(self.prepare(reference)), self.tower(self.prepare(questioned))
        logits = self.head(torch.cat([(a - b).abs(), a * b], 1))
        return self.calibrate(logits, reference, questioned)


class PlattVerifier(VerifierBase):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor(0.8))
        self.register_buffer("shift", torch.tensor([0.1, 0.0, -0.1]))

    def calibrate(self, logits, reference, questioned):
        return logits * self.scale + self.shift


def _inputs(n):
    ref = 1 - 0.8 * (torch.rand(n, 1, 48, 96) < 0.12).float()
    return ref, (ref + 0.1 * torch.randn_like(ref)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PlattVerifier().eval(), "inputs": _inputs, "kind": "benign"}
