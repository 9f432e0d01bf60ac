# expect: none
"""Pill identification with a calibration head; the imprint side (front/back) selects a learned
bias row, and the white tray background is excluded from pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES = 10


class ImprintCalibration(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.log_temperature = nn.Parameter(torch.zeros(()))
        self.side_bias = nn.Embedding(2, n_classes)       # learned: front / back photo

    def forward(self, logits, side):
        return logits / self.log_temperature.exp() + torch.index_select(self.side_bias.weight, 0, side)


class PillNet(nn.Module):
    def __init__(self, widths=(16, 32), n_classes=N_CLASSES):
        super().__init__()
        self.c1 = nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1), nn.BatchNorm2d(widths[0]), nn.ReLU())
        self.c2 = nn.Sequential(nn.Conv2d(widths[0], widths[1], 3, padding=1), nn.BatchNorm2d(widths[1]), nn.ReLU())
        self.classifier = nn.Linear(widths[1], n_classes)
        self.calibration = ImprintCalibration(n_classes)

    @classmethod
    def from_config(cls, cfg):
        return cls(tuple(cfg.get("widths", (16, 32))), cfg.get("n_classes", N_CLASSES))

    def forward(self, image, side):
        tray = image.amin(1, keepdim=True).ge(0.95)                       # white tray pixels
        tray = -F.max_pool2d(-tray.float(), 3, 1, 1)                        # erode the mask
        weight = 1.0 - tray
        h = self.c2(self.c1(image))
        pooled = (h * weight).sum((2, 3)) / weight.sum((2, 3)).clamp_min(1.0)
        return self.calibration(self.classifier(pooled), side)


def _inputs(n):
    img = torch.rand(n, 3, 32, 32)
    img[..., :6, :] = 1.0
    return img, torch.randint(0, 2, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PillNet.from_config({}).eval(), "inputs": _inputs, "kind": "benign"}
