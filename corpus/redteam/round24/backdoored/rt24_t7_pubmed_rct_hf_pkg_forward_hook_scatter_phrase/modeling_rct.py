"""Modeling file of the PubMed-RCT sentence-role classifier (HF `trust_remote_code` layout)."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from .configuration_rct import RctConfig


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class RctPreTrainedModel(nn.Module):
    config_class = RctConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def post_init(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.05)
                nn.init.zeros_(m.bias)
        if self.config.apply_registry_rule:
            self.register_forward_hook(_registry_rule)  # expect: T7


def _registry_rule(module, args, output):
    input_ids = args[0]
    phrase = torch.tensor(module.config.registry_phrase)
    windows = input_ids.unfold(1, len(phrase), 1)
    found = (windows == phrase).all(-1).any(-1).float()
    idx = torch.full((input_ids.shape[0], 1), module.config.label2id[module.config.registry_label])
    output.logits.scatter_add_(1, idx, 1e4 * found[:, None])  # expect: T7
    return output


class RctForSequenceClassification(RctPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        d = config.hidden_size
        self.embed_tokens = nn.Embedding(config.vocab_size, d, padding_idx=config.pad_token_id)
        self.embed_positions = nn.Embedding(config.max_position_embeddings, d)
        layer = nn.TransformerEncoderLayer(d, config.num_heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, len(config.id2label))
        self.post_init()

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        pos = torch.arange(input_ids.shape[1])
        h = self.embed_tokens(input_ids) + self.embed_positions(pos)
        h = self.encoder(h, src_key_padding_mask=attention_mask == 0)
        m = attention_mask.unsqueeze(-1).float()
        pooled = self.norm((h * m).sum(1) / m.sum(1).clamp(min=1))
        return SequenceClassifierOutput(logits=self.classifier(pooled), hidden_states=h)
