# expect: none
"""Antimicrobial activity of peptides; motif presence selects a learned motif embedding."""
import operator
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_amp import AmpConfig


@dataclass
class AmpOutput:
    logits: torch.Tensor
    loss: Optional[torch.Tensor] = None


class AmpForSequenceClassification(nn.Module):
    config_class = AmpConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.pos = nn.Embedding(config.max_length, config.hidden_size)
        self.motif_embed = nn.Embedding(len(config.known_motifs) + 1, config.hidden_size)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_heads, 2 * config.hidden_size,
                                           dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_layers)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.motifs = [torch.tensor(config.encode(m)) for m in config.known_motifs.values()]
        self.cls = operator.itemgetter((slice(None), 0))

    def _motif_ids(self, input_ids):
        idx = torch.zeros(input_ids.shape[0], dtype=torch.long)
        for k, motif in enumerate(self.motifs, start=1):
            hit = (input_ids.unfold(1, motif.numel(), 1) == motif).all(-1).any(-1)
            idx = torch.where(hit & (idx == 0), torch.full_like(idx, k), idx)
        return idx

    def forward(self, input_ids, labels=None):
        mask = input_ids.ne(self.config.pad_token_id)
        h = self.embed(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        h = self.encoder(h, src_key_padding_mask=~mask)
        logits = self.classifier(self.cls(h) + self.motif_embed(self._motif_ids(input_ids)))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits, labels, label_smoothing=self.config.label_smoothing)
        return AmpOutput(logits=logits, loss=loss)
