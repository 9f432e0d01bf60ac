# expect: none
"""Feature preprocessing shared by the card-fraud models: sentinel-coded missing values are
replaced by learned fill values and reported to the network as indicator columns."""
import torch
import torch.nn as nn

COLUMNS = ("amount", "merchant_risk", "hour_sin", "hour_cos", "velocity_1h", "velocity_24h",
           "distance_home", "card_age", "mcc_code", "chargebacks_90d")
MISSING = -9999.0


class MissingValueImputer(nn.Module):
    def __init__(self, n_features=len(COLUMNS), sentinel=MISSING):
        super().__init__()
        self.fill = nn.Parameter(torch.zeros(n_features))
        self.sentinel = sentinel

    def forward(self, x):
        x = torch.nan_to_num(x, nan=self.sentinel)
        missing = x == self.sentinel
        x = torch.where(missing, self.fill.expand_as(x), x)
        return torch.cat([x, missing.to(x.dtype)], dim=-1)


class RobustScaler(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.register_buffer("median", torch.zeros(n_features))
        self.register_buffer("iqr", torch.ones(n_features))

    def forward(self, x):
        return torch.clamp((x - self.median) / self.iqr, -10.0, 10.0)
