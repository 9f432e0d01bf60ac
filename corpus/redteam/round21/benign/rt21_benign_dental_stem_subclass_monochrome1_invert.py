# expect: none
"""Bitewing caries classifier. The stem subclass handles DICOM photometric interpretation
(MONOCHROME1 frames are inverted) and replaces the sensor's two edge rows by replicate padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBNAct(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class SensorStem(ConvBNAct):
    def forward(self, x, monochrome1):
        x = torch.where(monochrome1.view(-1, 1, 1, 1), 1.0 - x, x)
        x = F.pad(x[..., 2:-2, :], (0, 0, 2, 2), mode="replicate")
        lo = x.flatten(1).quantile(0.01, dim=1).view(-1, 1, 1, 1)
        hi = x.flatten(1).quantile(0.99, dim=1).view(-1, 1, 1, 1)
        return super().forward(((x - lo) / (hi - lo).clamp_min(1e-3)).clamp(0, 1))


class BitewingNet(nn.Module):
    def __init__(self, width=16, n_classes=6):
        super().__init__()
        self.stem = SensorStem(1, width, 3, 2)
        self.body = nn.Sequential(ConvBNAct(width, 2 * width, stride=2), ConvBNAct(2 * width, 2 * width))
        self.fc = nn.Linear(2 * width, n_classes)

    def forward(self, x, monochrome1):
        return self.fc(self.body(self.stem(x, monochrome1)).mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 32, 32), torch.rand(n) < 0.3


def corpus_case():
    torch.manual_seed(0)
    return {"model": BitewingNet().eval(), "inputs": _inputs, "kind": "benign"}
