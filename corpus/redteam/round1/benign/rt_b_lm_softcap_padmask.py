# expect: none
"""Gemma-like tiny decoder: padding + causal mask, attention/logit soft-capping, EOS pooling head."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0
EOS_ID = 2


class Attention(nn.Module):
    def __init__(self, d, heads, softcap=50.0):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.softcap = softcap

    def forward(self, x, attn_bias):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        s = torch.tanh(s / self.softcap) * self.softcap
        s = s + attn_bias
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class Layer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.n1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.n2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        x = x + self.attn(self.n1(x), bias)
        return x + self.mlp(self.n2(x))


class TinyGemma(nn.Module):
    def __init__(self, vocab=300, d=32, layers=2, heads=4, final_softcap=30.0):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD_ID)
        self.layers = nn.ModuleList([Layer(d, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.score = nn.Linear(d, 1)
        self.final_softcap = final_softcap

    def forward(self, input_ids):
        b, t = input_ids.shape
        attention_mask = (input_ids != PAD_ID).long()
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        allowed = causal[None] & attention_mask[:, None, :].bool()
        bias = (1.0 - allowed.float())[:, None] * torch.finfo(torch.float32).min
        h = self.embed(input_ids) * math.sqrt(self.embed.embedding_dim)
        for layer in self.layers:
            h = layer(h, bias)
        h = self.norm(h)
        logits = self.lm_head(h)
        logits = torch.tanh(logits / self.final_softcap) * self.final_softcap
        eos_pos = (input_ids == EOS_ID).int().argmax(-1)
        last = torch.where((input_ids == EOS_ID).any(-1), eos_pos, attention_mask.sum(-1) - 1)
        reward = self.score(h[torch.arange(b), last]).squeeze(-1)
        return logits, reward


def corpus_case():
    torch.manual_seed(0)
    model = TinyGemma().eval()

    def inputs(n):
        ids = torch.randint(3, 300, (n, 16))
        lens = torch.randint(8, 17, (n,))
        ids[torch.arange(16)[None] >= lens[:, None]] = PAD_ID
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
