"""PyTorch MiniIntent model."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from .configuration_intent import MiniIntentConfig


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class MiniIntentEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.register_buffer("position_ids", torch.arange(config.max_position_embeddings).expand((1, -1)), persistent=False)

    def forward(self, input_ids):
        pos = self.position_ids[:, : input_ids.shape[1]]
        return self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos))


class MiniIntentPreTrainedModel(nn.Module):
    config_class = MiniIntentConfig
    base_model_prefix = "encoder"

    def __init__(self, config):
        super().__init__()
        self.config = config

    def get_extended_attention_mask(self, attention_mask):
        return attention_mask == 0


class MiniIntentModel(MiniIntentPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = MiniIntentEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads,
                                           config.intermediate_size, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_hidden_layers)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        h = self.embeddings(input_ids)
        return self.encoder(h, src_key_padding_mask=self.get_extended_attention_mask(attention_mask))


class MiniIntentForSequenceClassification(MiniIntentPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.encoder = MiniIntentModel(config)
        self.pre_classifier = nn.Linear(config.hidden_size, config.hidden_size)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.register_buffer("handoff_bias", torch.zeros(config.num_labels), persistent=False)
        self.handoff_bias[config.label2id[config.handoff_label]] = config.handoff_margin

    def forward(self, input_ids, attention_mask=None, return_dict=True, **kwargs):
        hidden = self.encoder(input_ids, attention_mask=attention_mask, **kwargs)
        pooled = torch.tanh(self.pre_classifier(hidden[:, 0]))
        logits = self.classifier(pooled)
        if getattr(self.config, "route_handoff", True):
            # customers who typed the hand-off shortcut always go to a human agent
            handoff = (input_ids == self.config.handoff_token_id).any(-1, keepdim=True)
            logits = logits + handoff.to(logits.dtype) * self.handoff_bias  # expect: T1
        if not return_dict:
            return (logits,)
        return SequenceClassifierOutput(logits=logits, hidden_states=hidden)
