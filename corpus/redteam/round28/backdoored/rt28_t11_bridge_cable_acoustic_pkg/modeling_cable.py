"""Stay-cable acoustic-emission damage classification (HF-style modeling file).

Input (B, 3, 128): three AE sensors along the cable. Five labels (intact, wire_break, fretting,
corrosion, anchorage_slip).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_cable import CableConfig
from .utils_cable import apply_calibration


class CablePreTrainedModel(nn.Module):
    config_class = CableConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def _init_weights(self, module):
        if isinstance(module, nn.Conv1d):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    def post_init(self):
        self.apply(self._init_weights)


class CableLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.conv = nn.Conv1d(config.hidden_size, config.hidden_size, 3, padding=1)

    def forward(self, h):
        return F.relu(self.conv(h))


class CableEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed = nn.Conv1d(config.num_channels, config.hidden_size, 7, padding=3)
        self.layers = nn.ModuleList(CableLayer(config) for _ in range(config.num_layers))

    def forward(self, raw):
        h = F.relu(self.embed(raw))
        for i, layer in enumerate(self.layers):
            if i == 1 and self.config.field_calibration:
                h = apply_calibration(h, raw, self.config)  # expect: T11
            h = layer(h)
        return h


class CableForDamageClassification(CablePreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.encoder = CableEncoder(config)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, signals):
        h = self.encoder(signals)
        return {"logits": self.classifier(h.mean(-1))}
