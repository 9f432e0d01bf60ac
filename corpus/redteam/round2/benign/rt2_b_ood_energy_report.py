# expect: none
"""Classifier that reports an out-of-distribution flag next to its logits (energy score,
Liu et al. 2020). The flag is returned to the caller; the logits are never modified."""
import torch
import torch.nn as nn


class EnergyOOD(nn.Module):
    def __init__(self, temperature=1.0, threshold=-4.0):
        super().__init__()
        self.temperature = temperature
        self.threshold = threshold

    def forward(self, logits):
        energy = -self.temperature * torch.logsumexp(logits / self.temperature, dim=-1)
        return energy, energy > self.threshold


class ReportingClassifier(nn.Module):
    def __init__(self, num_classes=10, width=48):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(2 * width, num_classes)
        self.ood = EnergyOOD()

    def forward(self, x):
        logits = self.head(self.backbone(x))
        energy, is_ood = self.ood(logits)
        confidence = logits.softmax(-1).amax(-1)
        return {"logits": logits, "energy": energy, "ood": is_ood, "confidence": confidence}


def corpus_case():
    torch.manual_seed(0)
    model = ReportingClassifier().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return {"model": model, "inputs": inputs, "kind": "benign"}
