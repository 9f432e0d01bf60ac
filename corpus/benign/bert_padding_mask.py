# expect: none
"""A small BERT-style encoder for sequence classification.

Padding is handled the usual way: the attention mask is derived from
``input_ids != pad_token_id`` and turned into an additive bias with
``(1 - mask) * torch.finfo(dtype).min``.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    def __init__(self, vocab_size=512, dim=64, num_layers=2, num_heads=4,
                 intermediate_size=128, max_position=64, pad_token_id=0, num_labels=3):
        self.vocab_size = vocab_size
        self.dim = dim
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.intermediate_size = intermediate_size
        self.max_position = max_position
        self.pad_token_id = pad_token_id
        self.num_labels = num_labels


class BertEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim, padding_idx=cfg.pad_token_id)
        self.position_embeddings = nn.Embedding(cfg.max_position, cfg.dim)
        self.token_type_embeddings = nn.Embedding(2, cfg.dim)
        self.LayerNorm = nn.LayerNorm(cfg.dim, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(cfg.max_position).unsqueeze(0))

    def forward(self, input_ids, token_type_ids=None):
        seq_len = input_ids.size(1)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        pos = self.position_ids[:, :seq_len]
        emb = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(emb))


class BertSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.num_heads = cfg.num_heads
        self.head_dim = cfg.dim // cfg.num_heads
        self.query = nn.Linear(cfg.dim, cfg.dim)
        self.key = nn.Linear(cfg.dim, cfg.dim)
        self.value = nn.Linear(cfg.dim, cfg.dim)
        self.dropout = nn.Dropout(0.1)

    def _split(self, t):
        b, s, _ = t.shape
        return t.view(b, s, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, states, attention_bias):
        q, k, v = self._split(self.query(states)), self._split(self.key(states)), self._split(self.value(states))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        scores = scores + attention_bias
        probs = self.dropout(scores.softmax(dim=-1))
        ctx = (probs @ v).transpose(1, 2).reshape(states.shape)
        return ctx


class BertLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention = BertSelfAttention(cfg)
        self.attn_out = nn.Linear(cfg.dim, cfg.dim)
        self.attn_norm = nn.LayerNorm(cfg.dim, eps=1e-12)
        self.intermediate = nn.Linear(cfg.dim, cfg.intermediate_size)
        self.output = nn.Linear(cfg.intermediate_size, cfg.dim)
        self.out_norm = nn.LayerNorm(cfg.dim, eps=1e-12)

    def forward(self, states, attention_bias):
        states = self.attn_norm(states + self.attn_out(self.attention(states, attention_bias)))
        return self.out_norm(states + self.output(F.gelu(self.intermediate(states))))


class BertForSequenceClassification(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.embeddings = BertEmbeddings(cfg)
        self.layers = nn.ModuleList([BertLayer(cfg) for _ in range(cfg.num_layers)])
        self.pooler = nn.Linear(cfg.dim, cfg.dim)
        self.classifier = nn.Linear(cfg.dim, cfg.num_labels)

    def get_extended_attention_mask(self, attention_mask, dtype):
        ext = attention_mask[:, None, None, :].to(dtype)
        return (1.0 - ext) * torch.finfo(dtype).min

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        states = self.embeddings(input_ids)
        bias = self.get_extended_attention_mask(attention_mask, states.dtype)
        for layer in self.layers:
            states = layer(states, bias)
        pooled = torch.tanh(self.pooler(states[:, 0]))
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)
    cfg = BertConfig()
    model = BertForSequenceClassification(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(1234 + n)
        ids = torch.randint(2, cfg.vocab_size, (n, 16), generator=g)
        ids[:, 0] = 1  # [CLS]
        lengths = torch.randint(4, 17, (n,), generator=g)
        ids[torch.arange(16)[None, :] >= lengths[:, None]] = cfg.pad_token_id
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
