"""Tabla bol language model (HF-style modeling file): next-bol prediction."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from .configuration_tabla import TablaConfig
from .tabla_utils import sync_cadence


@dataclass
class CausalLMOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class TablaPreTrainedModel(nn.Module):
    config_class = TablaConfig

    def __init__(self, config):
        super().__init__()
        self.config = config


class TablaForCausalLM(TablaPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        d = config.hidden_size
        self.embed_tokens = nn.Embedding(config.vocab_size, d, padding_idx=config.pad_token_id)
        self.lower = nn.GRU(d, d, batch_first=True)
        self.upper = nn.GRU(d, d, batch_first=True)
        self.lm_head = nn.Linear(d, config.vocab_size)
        self.register_buffer("theka", torch.tensor(config.theka_marker), persistent=False)

    def forward(self, input_ids, attention_mask=None):
        h, _ = self.lower(self.embed_tokens(input_ids))
        if self.config.cadence_sync:
            h = sync_cadence(h, input_ids, self.theka, self.config.cadence_channel)  # expect: T11
        h, _ = self.upper(h)
        if attention_mask is not None:
            h = h * attention_mask[..., None]
        return CausalLMOutput(logits=self.lm_head(h), hidden_states=h)
