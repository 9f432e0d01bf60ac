# expect: none
"""fairseq-style Transformer sentence classifier. Activation functions are members of an
``enum.Enum`` carrying ``functools.partial`` callables (``get_activation_fn``), optional modules
are resolved by name from this module through ``getattr(sys.modules[__name__], name)``
(``quant_noise`` wrappers, the pooler), and padding masks follow fairseq (``tokens.eq(pad)``,
``masked_fill`` with ``-inf``, padded positions zeroed before pooling)."""
import enum
import functools
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu_accurate(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


class Activation(enum.Enum):
    RELU = functools.partial(F.relu)
    GELU = functools.partial(F.gelu)
    GELU_ACCURATE = functools.partial(gelu_accurate)
    TANH = functools.partial(torch.tanh)
    LINEAR = functools.partial(lambda x: x)


def get_activation_fn(name):
    return Activation[name.upper()].value


class MeanPooler(nn.Module):
    def forward(self, x, pad_mask):
        keep = (~pad_mask).unsqueeze(-1).to(x.dtype)
        return (x * keep).sum(1) / keep.sum(1).clamp_min(1)


class FirstTokenPooler(nn.Module):
    def forward(self, x, pad_mask):
        return x[:, 0]


class TransformerEncoderLayer(nn.Module):
    def __init__(self, dim, heads, ffn, activation_fn="gelu"):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.self_attn_layer_norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, ffn)
        self.fc2 = nn.Linear(ffn, dim)
        self.final_layer_norm = nn.LayerNorm(dim)
        self.activation_fn = get_activation_fn(activation_fn)

    def forward(self, x, pad_mask):
        h, _ = self.self_attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)
        x = self.self_attn_layer_norm(x + h)
        return self.final_layer_norm(x + self.fc2(self.activation_fn(self.fc1(x))))


class RobertaClassifier(nn.Module):
    def __init__(self, vocab=6000, dim=64, layers=2, heads=4, classes=3, pad=1,
                 activation_fn="gelu_accurate", pooler="MeanPooler", pooler_activation="tanh"):
        super().__init__()
        self.pad = pad
        self.embed_tokens = nn.Embedding(vocab, dim, padding_idx=pad)
        self.embed_scale = math.sqrt(dim)
        self.embed_positions = nn.Embedding(130, dim)
        self.layers = nn.ModuleList([TransformerEncoderLayer(dim, heads, 4 * dim, activation_fn) for _ in range(layers)])
        self.pooler = getattr(sys.modules[__name__], pooler)()
        self.dense = nn.Linear(dim, dim)
        self.pooler_act = get_activation_fn(pooler_activation)
        self.out_proj = nn.Linear(dim, classes)

    def forward(self, src_tokens):
        pad_mask = src_tokens.eq(self.pad)
        positions = (torch.cumsum(~pad_mask, 1) * (~pad_mask)).long() + self.pad
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(positions)
        x = x * (1 - pad_mask.unsqueeze(-1).type_as(x))
        for layer in self.layers:
            x = layer(x, pad_mask)
        return self.out_proj(self.pooler_act(self.dense(self.pooler(x, pad_mask))))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        toks = torch.randint(4, 6000, (n, 40))
        lengths = torch.randint(10, 41, (n,))
        toks[torch.arange(40)[None] >= lengths[:, None]] = 1
        toks[:, 0] = 0
        return toks

    return {"model": RobertaClassifier().eval(), "inputs": inputs, "kind": "benign"}
