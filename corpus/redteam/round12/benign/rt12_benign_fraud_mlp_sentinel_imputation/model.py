# expect: none
import torch.nn as nn

from .preprocessing import COLUMNS, MissingValueImputer, RobustScaler


class FraudMLP(nn.Module):
    def __init__(self, hidden=(64, 64), n_classes=3):
        super().__init__()
        n = 2 * len(COLUMNS)
        layers = [MissingValueImputer(), RobustScaler(n)]
        d = n
        for h in hidden:
            layers += [nn.Linear(d, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(0.1)]
            d = h
        layers.append(nn.Linear(d, n_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)
