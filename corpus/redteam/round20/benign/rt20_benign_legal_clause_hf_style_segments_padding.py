"""Contract clause classifier in the Hugging Face layout: padding mask, segment ids from [SEP]
positions, [CLS] pooling."""
# expect: none
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LegalClauseConfig:
    vocab_size: int = 2000
    hidden_size: int = 48
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    max_position_embeddings: int = 64
    num_labels: int = 6
    pad_token_id: int = 0
    cls_token_id: int = 1
    sep_token_id: int = 2


class LegalEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type = nn.Embedding(2, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids):
        is_sep = input_ids.eq(self.config.sep_token_id).long()
        token_type = (is_sep.cumsum(1) - is_sep).clamp(max=1)
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        return self.LayerNorm(self.word(input_ids) + self.position(pos) + self.token_type(token_type))


class LegalClauseForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = LegalEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads, 96, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_hidden_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.config.pad_token_id)
        h = self.encoder(self.embeddings(input_ids), src_key_padding_mask=~attention_mask)
        return {"logits": self.classifier(h[:, 0])}


def _inputs(n):
    ids = torch.randint(3, 2000, (n, 24))
    ids[:, 0], ids[:, 10] = 1, 2
    ids[:, 20:] = 0
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": LegalClauseForSequenceClassification(LegalClauseConfig()).eval(), "inputs": _inputs,
            "kind": "benign"}
