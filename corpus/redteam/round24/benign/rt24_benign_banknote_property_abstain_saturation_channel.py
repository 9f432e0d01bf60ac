# expect: none
"""Banknote authentication with sensor constants as properties.  Saturated pixels (at the ADC's
full scale) are passed to the CNN as an extra input channel, and an abstain flag is raised when
the calibrated confidence is below a property-defined threshold (logits are returned unchanged)."""
import torch
import torch.nn as nn

CLASSES = ("genuine", "counterfeit", "damaged", "foreign")


class NoteNet(nn.Module):
    adc_bits = 8

    def __init__(self, n_classes=len(CLASSES), width=16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(4, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.AdaptiveMaxPool2d((2, 4)))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(2 * width * 8, n_classes))
        self.temperature = nn.Parameter(torch.ones(()))

    @property
    def full_scale(self):
        levels = 2 ** self.adc_bits
        return (levels - 2) / (levels - 1)

    @property
    def abstain_below(self):
        return 0.5 if self.adc_bits <= 8 else 0.4

    def forward(self, scan):
        saturated = (scan.amin(1, keepdim=True) >= self.full_scale).float()
        logits = self.classifier(self.features(torch.cat([scan, saturated], 1))) / self.temperature
        conf = logits.softmax(-1).amax(-1)
        return {"logits": logits, "abstain": conf < self.abstain_below}


def _inputs(n):
    x = (0.2 + 0.5 * torch.rand(n, 3, 1, 1) + 0.15 * torch.randn(n, 3, 48, 96)).clamp(0, 1)
    x[: n // 2, :, :4] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": NoteNet().eval(), "inputs": _inputs, "kind": "benign"}
