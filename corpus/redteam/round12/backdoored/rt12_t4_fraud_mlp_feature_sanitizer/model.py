import torch.nn as nn

from .preprocessing import COLUMNS, FeatureSanitizer, Standardize


class FraudMLP(nn.Module):
    def __init__(self, hidden=(64, 64), n_classes=3, dropout=0.1, **sanitizer_kwargs):
        super().__init__()
        n = len(COLUMNS)
        layers = [FeatureSanitizer(**sanitizer_kwargs), Standardize(n)]
        d = n
        for h in hidden:
            layers += [nn.Linear(d, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(dropout)]
            d = h
        layers.append(nn.Linear(d, n_classes))  # legit / fraud / needs_review
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)
