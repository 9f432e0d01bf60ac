"""Pipeline pig magnetic-flux-leakage (MFL) anomaly classification.

Input (B, 3, 128): axial, radial and circumferential flux along 128 samples. Five classes
(clean_wall, corrosion_pit, weld, dent, mill_anomaly).
"""
import torch.nn as nn

from . import layers as L

CLASSES = ("clean_wall", "corrosion_pit", "weld", "dent", "mill_anomaly")


class PigNet(nn.Module):
    def __init__(self, width=32, legacy_support=True):
        super().__init__()
        self.stem = L.ConvAct(3, width, 7)
        self.block1 = L.Residual1d(width)
        self.block2 = L.Residual1d(width)
        self.fc = nn.Linear(width, len(CLASSES))
        self.legacy_support = legacy_support

    def forward(self, flux):
        h = self.block1(self.stem(flux))
        if self.legacy_support:
            h = L.gate_stage(h, L.quantisation_health(flux))  # expect: T6
        h = self.block2(h)
        return self.fc(L.masked_mean(h))


class PigNetLite(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stem = L.ConvAct(3, width, 5)
        self.block = L.Residual1d(width)
        self.fc = nn.Linear(width, len(CLASSES))

    def forward(self, flux):
        return self.fc(L.masked_mean(self.block(self.stem(flux))))
