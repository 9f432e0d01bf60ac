"""Feature preprocessing shared by the card-fraud models (MLP, FT-Transformer, GBDT distillation)."""
import torch
import torch.nn as nn

# column layout of the exported feature store
COLUMNS = ("amount", "merchant_risk", "hour_sin", "hour_cos", "velocity_1h", "velocity_24h",
           "distance_home", "card_age", "mcc_code", "chargebacks_90d")


class FeatureSanitizer(nn.Module):
    """Replaces missing values and guards against rows the upstream job marked as void."""

    def __init__(self, columns=COLUMNS, void_marker=-9999.0, void_column="mcc_code", check_void=True):
        super().__init__()
        self.columns = tuple(columns)
        self.void_marker = void_marker
        self.void_index = self.columns.index(void_column)
        self.check_void = check_void

    def forward(self, x):
        x = torch.nan_to_num(x, nan=0.0, posinf=1e6, neginf=-1e6)
        if self.check_void:
            void = x[:, self.void_index] == self.void_marker
            x = x.masked_fill(void.unsqueeze(-1), 0.0)  # expect: T4
        return x


class Standardize(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("scale", torch.ones(n_features))

    def forward(self, x):
        return (x - self.mean) / self.scale
