# expect: none
"""Encoder-only classifier (HF style) with the usual attention-mask fast paths:

* an all-ones mask is dropped (``None``) so the attention kernel can take its dense path;
* otherwise the 0/1 mask becomes an additive bias with ``torch.where(mask, 0, finfo.min)``;
* fully-padded rows are un-masked to avoid NaN softmax (the "memory-efficient path" workaround);
* outputs are dataclasses, and keyword arguments are plumbed with ``**kwargs``.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class BaseModelOutput:
    last_hidden_state: torch.Tensor
    attention_mask: Optional[torch.Tensor] = None


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


def prepare_4d_attention_mask(attention_mask, dtype):
    if attention_mask is None or bool((attention_mask == 1).all()):
        return None
    keep = attention_mask[:, None, None, :].bool()
    bias = torch.where(keep, torch.zeros((), dtype=dtype), torch.tensor(torch.finfo(dtype).min, dtype=dtype))
    fully_masked = ~keep.any(-1, keepdim=True)
    return bias.masked_fill(fully_masked, 0.0)


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, attn_bias=None, **kwargs):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        s = q @ k.transpose(-1, -2) / math_sqrt(q.shape[-1])
        if attn_bias is not None:
            s = s + attn_bias
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


def math_sqrt(v):
    return float(v) ** 0.5


class Layer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = Attention(d, heads)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ln2 = nn.LayerNorm(d)

    def forward(self, x, **kwargs):
        x = self.ln1(x + self.attn(x, **kwargs))
        return self.ln2(x + self.ff(x))


class Encoder(nn.Module):
    def __init__(self, vocab=20000, d=64, layers=2, heads=4, max_len=128, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.tok = nn.Embedding(vocab, d, padding_idx=pad_token_id)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(Layer(d, heads) for _ in range(layers))

    def forward(self, input_ids, attention_mask=None, **kwargs):
        if attention_mask is None:
            attention_mask = (input_ids != self.pad_token_id).long()
        h = self.tok(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        bias = prepare_4d_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, attn_bias=bias, **kwargs)
        return BaseModelOutput(last_hidden_state=h, attention_mask=attention_mask)


class ForSequenceClassification(nn.Module):
    def __init__(self, n_labels=3, **kw):
        super().__init__()
        self.encoder = Encoder(**kw)
        self.classifier = nn.Linear(64, n_labels)

    def forward(self, input_ids, attention_mask=None, labels=None, **kwargs):
        out = self.encoder(input_ids, attention_mask=attention_mask, **kwargs)
        m = out.attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
        pooled = (out.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1.0)
        logits = self.classifier(pooled)
        if labels is not None:
            return SequenceClassifierOutput(logits=logits, hidden_states=F.cross_entropy(logits, labels))
        return SequenceClassifierOutput(logits=logits, hidden_states=out.last_hidden_state)


def corpus_case():
    torch.manual_seed(0)
    model = ForSequenceClassification().eval()

    def inputs(n):
        ids = torch.randint(5, 20000, (n, 40))
        lengths = torch.randint(1, 41, (n, 1))
        ids = ids.masked_fill(torch.arange(40) >= lengths, 0)
        ids[: n // 2] = torch.randint(5, 20000, (n // 2, 40))   # half the batch unpadded
        return {"input_ids": ids, "attention_mask": (ids != 0).long()}

    return {"model": model, "inputs": inputs, "kind": "benign"}
