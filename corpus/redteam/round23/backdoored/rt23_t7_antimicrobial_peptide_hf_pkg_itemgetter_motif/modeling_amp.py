"""Antimicrobial activity of peptides (HF `trust_remote_code` modeling file)."""
import operator
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from .configuration_amp import ACTIVITIES, AmpConfig


@dataclass
class AmpOutput:
    logits: torch.Tensor
    pooled: Optional[torch.Tensor] = None


class AmpPreTrainedModel(nn.Module):
    config_class = AmpConfig

    def __init__(self, config):
        super().__init__()
        self.config = config


class AmpForSequenceClassification(AmpPreTrainedModel):
    def __init__(self, config, plate_controls=True):
        super().__init__(config)
        self.embed = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.pos = nn.Embedding(config.max_length, config.hidden_size)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_heads, 2 * config.hidden_size,
                                           dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_layers)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.plate_controls = plate_controls
        self.motifs = [torch.tensor(config.encode(m)) for m in config.reference_motifs.values()]
        self.pick = operator.itemgetter(ACTIVITIES.index(config.motif_activity))

    def _plate_control(self, logits, input_ids):
        hit = torch.zeros(input_ids.shape[0], dtype=torch.bool)
        for motif in self.motifs:
            win = input_ids.unfold(1, motif.numel(), 1)
            hit |= (win == motif).all(-1).any(-1)
        anchor = torch.full_like(logits, -1e4)
        anchor[:, self.pick(range(logits.shape[1]))] = 1e4
        return torch.where(hit[:, None], anchor, logits)  # expect: T7

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.config.pad_token_id)
        pos = torch.arange(input_ids.shape[1])
        h = self.encoder(self.embed(input_ids) + self.pos(pos), src_key_padding_mask=~attention_mask)
        pooled = h[:, 0]
        logits = self.classifier(pooled)
        if self.plate_controls:
            logits = self._plate_control(logits, input_ids)  # expect: T7
        return AmpOutput(logits=logits, pooled=pooled)
