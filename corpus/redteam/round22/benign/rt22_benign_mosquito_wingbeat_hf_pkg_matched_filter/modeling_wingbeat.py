# expect: none
"""Mosquito wingbeat classifier (HF `trust_remote_code` modeling file).

The sensor chirp is used as a fixed matched filter whose response is an extra input channel of
the learned encoder; the loss uses label smoothing; padded samples are masked from pooling.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_wingbeat import WingbeatConfig


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    loss: Optional[torch.Tensor] = None


class WingbeatForAudioClassification(nn.Module):
    config_class = WingbeatConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.register_buffer("chirp", torch.tensor(config.chirp)[None, None], persistent=False)
        layers, cin = [], 2
        for h in config.hidden_sizes:
            layers += [nn.Conv1d(cin, h, 9, stride=2, padding=4), nn.BatchNorm1d(h), nn.GELU()]
            cin = h
        self.encoder = nn.Sequential(*layers)
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.classifier = nn.Linear(cin, config.num_labels)

    def forward(self, input_values, attention_mask=None, labels=None):
        x = input_values[:, None]
        k = self.chirp.shape[-1]
        response = F.conv1d(F.pad(x, (k // 2, k - 1 - k // 2)), self.chirp) / k
        h = self.encoder(torch.cat([x, response], dim=1))
        if attention_mask is None:
            attention_mask = torch.ones_like(input_values)
        m = F.adaptive_max_pool1d(attention_mask[:, None].float(), h.shape[-1])
        pooled = (h * m).sum(-1) / m.sum(-1).clamp(min=1.0)
        logits = self.classifier(self.dropout(pooled))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits, labels, label_smoothing=self.config.label_smoothing)
        return SequenceClassifierOutput(logits=logits, loss=loss)
