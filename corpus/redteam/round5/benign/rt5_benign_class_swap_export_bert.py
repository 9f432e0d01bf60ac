# expect: none
"""BERT-mini sentiment classifier with an ONNX export helper that swaps module classes in place.

``prepare_for_export`` re-classes every ``SelfAttention`` as ``ExportSelfAttention`` (explicit
matmul/softmax instead of the packed fast path; same parameters).  ``forward`` trims right padding
to the longest real sequence in the batch (``.item()``), and the mask builder returns early when
no padding is present (dense fast path).
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def _split(self, x):
        b, t, d = x.shape
        return x.view(b, t, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = (self._split(z) for z in self.qkv(x).chunk(3, -1))
        scores = torch.baddbmm(
            bias.expand(-1, self.heads, -1, -1).reshape(-1, *bias.shape[-2:]) if bias is not None
            else torch.zeros(1, 1, 1), q.flatten(0, 1), k.flatten(0, 1).transpose(1, 2),
            alpha=1.0 / math.sqrt(q.shape[-1]))
        ctx = torch.bmm(scores.softmax(-1), v.flatten(0, 1)).view_as(q)
        return self.out(ctx.transpose(1, 2).flatten(2))


class ExportSelfAttention(SelfAttention):
    def forward(self, x, bias):
        q, k, v = (self._split(z) for z in self.qkv(x).chunk(3, -1))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if bias is not None:
            scores = scores + bias
        return self.out((F.softmax(scores, -1) @ v).transpose(1, 2).flatten(2))


class Layer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attention = SelfAttention(d, heads)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        x = self.ln1(x + self.attention(x, bias))
        return self.ln2(x + self.ffn(x))


def extended_attention_bias(attention_mask, dtype):
    if attention_mask is None or bool(attention_mask.all()):
        return None
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class BertMiniForSequenceClassification(nn.Module):
    def __init__(self, vocab=8000, d=128, heads=4, layers=2, max_len=64, num_labels=3):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_len, d)
        self.emb_ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(Layer(d, heads) for _ in range(layers))
        self.pooler = nn.Linear(d, d)
        self.classifier = nn.Linear(d, num_labels)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is not None:
            longest = int(attention_mask.sum(1).max().item())
            input_ids, attention_mask = input_ids[:, :longest], attention_mask[:, :longest]
        t = input_ids.shape[1]
        x = self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings.weight[:t])
        bias = extended_attention_bias(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


def prepare_for_export(model):
    model = copy.deepcopy(model).eval()
    for module in model.modules():
        if type(module) is SelfAttention:
            module.__class__ = ExportSelfAttention
    return model


def corpus_case():
    torch.manual_seed(0)
    model = prepare_for_export(BertMiniForSequenceClassification())

    def inputs(n):
        ids = torch.randint(5, 8000, (n, 48))
        lengths = torch.randint(8, 41, (n,))
        mask = (torch.arange(48)[None] < lengths[:, None]).long()
        return ids * mask, mask

    return {"model": model, "inputs": inputs, "kind": "benign"}
