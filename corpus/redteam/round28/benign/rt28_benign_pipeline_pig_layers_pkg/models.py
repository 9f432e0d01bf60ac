"""Pipeline pig MFL models built from the shared layer library."""
import torch.nn as nn

from . import layers as L

CLASSES = ("clean_wall", "corrosion_pit", "weld", "dent", "mill_anomaly")


class PigNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.stem = L.ConvAct(4, width, 7)
        self.block1 = L.Residual1d(width)
        self.block2 = L.Residual1d(width)
        self.fc = nn.Linear(width, len(CLASSES))

    def forward(self, flux):
        x, valid = L.impute_with_indicator(flux)
        h = self.block2(self.block1(self.stem(x)))
        return self.fc(L.masked_mean(h, valid))
