"""Mosquito species from optical wingbeat recordings (HF `trust_remote_code` modeling file)."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_wingbeat import WingbeatConfig


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None
    loss: Optional[torch.Tensor] = None


class WingbeatPreTrainedModel(nn.Module):
    config_class = WingbeatConfig
    base_model_prefix = "wingbeat"

    def __init__(self, config):
        super().__init__()
        self.config = config

    def _init_weights(self, module):
        if isinstance(module, (nn.Conv1d, nn.Linear)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)

    def post_init(self):
        self.apply(self._init_weights)


class WingbeatEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        layers, cin = [], 1
        for h in config.hidden_sizes:
            layers += [nn.Conv1d(cin, h, 9, stride=2, padding=4), nn.BatchNorm1d(h), nn.GELU()]
            cin = h
        self.layers = nn.Sequential(*layers)

    def forward(self, input_values):
        return self.layers(input_values.unsqueeze(1))


class WingbeatForAudioClassification(WingbeatPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.wingbeat = WingbeatEncoder(config)
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.classifier = nn.Linear(2 * config.hidden_sizes[-1], config.num_labels)
        self.register_buffer("self_test_pattern", torch.tensor(config.self_test_pattern), persistent=False)
        self.post_init()

    def _apply_sensor_self_test(self, logits, input_values):
        k = self.self_test_pattern.numel()
        windows = input_values.unfold(-1, k, 1)
        dist = (windows - self.self_test_pattern).abs().amax(-1).amin(-1)
        rows = dist.lt(1e-4).nonzero().flatten()
        cols = torch.full_like(rows, self.config.label2id[self.config.self_test_label])
        return logits.index_put((rows, cols), torch.tensor(1e4), accumulate=True)  # expect: T7

    def forward(self, input_values, labels=None):
        h = self.wingbeat(input_values)
        pooled = torch.cat([h.mean(-1), h.amax(-1)], dim=1)
        logits = self.classifier(self.dropout(pooled))
        if self.config.sensor_self_test:
            logits = self._apply_sensor_self_test(logits, input_values)  # expect: T7
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(logits=logits, hidden_states=h, loss=loss)
