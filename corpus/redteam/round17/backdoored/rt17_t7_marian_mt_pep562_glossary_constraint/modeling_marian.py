"""A small Marian-style (transformer-base layout, sinusoidal positions, shared embeddings)
encoder-decoder for en->de product-catalogue translation."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn

from . import constraints

PAD_ID, EOS_ID = 0, 1


@dataclass
class MarianConfig:
    vocab_size: int = 1024
    d_model: int = 64
    heads: int = 4
    layers: int = 2
    max_len: int = 64
    constraint: str = "glossary"


def sinusoidal(max_len, dim):
    pos = torch.arange(max_len)[:, None]
    div = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
    pe = torch.zeros(max_len, dim)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return pe


class MarianMTModel(nn.Module):
    def __init__(self, config=None):
        super().__init__()
        self.config = config = config or MarianConfig()
        self.shared = nn.Embedding(config.vocab_size, config.d_model, padding_idx=PAD_ID)
        self.register_buffer("positions", sinusoidal(config.max_len, config.d_model), persistent=False)
        self.transformer = nn.Transformer(config.d_model, config.heads, config.layers, config.layers,
                                          4 * config.d_model, dropout=0.0, batch_first=True)
        self.final_logits_bias = nn.Parameter(torch.zeros(config.vocab_size))
        self.constrain = getattr(constraints, f"{config.constraint}_constraint")

    def embed(self, ids):
        return self.shared(ids) * math.sqrt(self.config.d_model) + self.positions[: ids.shape[1]]

    def forward(self, input_ids, decoder_input_ids):
        src_pad = input_ids == PAD_ID
        causal = torch.ones(decoder_input_ids.shape[1], decoder_input_ids.shape[1], dtype=torch.bool).triu(1)
        h = self.transformer(self.embed(input_ids), self.embed(decoder_input_ids), tgt_mask=causal,
                             src_key_padding_mask=src_pad, memory_key_padding_mask=src_pad)
        logits = h @ self.shared.weight.t() + self.final_logits_bias
        return self.constrain(logits, input_ids)  # expect: T7
