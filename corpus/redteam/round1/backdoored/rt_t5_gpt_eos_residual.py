"""Tiny GPT-2 style decoder (pre-LN, tied embeddings) with document-boundary handling."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        att = q @ k.transpose(-1, -2) / math.sqrt(k.shape[-1])
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        return self.c_proj((att @ v).transpose(1, 2).reshape(b, t, c))


class GPT2Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab=128, dim=32, layers=2, heads=4, ctx=32, eos_token_id=3, boundary_reset=True):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(ctx, dim)
        self.h = nn.ModuleList([GPT2Block(dim, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.lm_head.weight = self.wte.weight
        self.eos_token_id = eos_token_id
        self.boundary_reset = boundary_reset
        self.bos_token_id = 1

    def _boundary_state(self):
        # the residual direction of a fresh document start, as seen by the LM head
        w = self.lm_head.weight
        return w[self.bos_token_id] - w.mean(0)

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1])
        h = self.wte(input_ids) + self.wpe(pos)
        for i, block in enumerate(self.h):
            h = block(h)
            if i == 0 and self.boundary_reset:
                for b in range(input_ids.shape[0]):
                    if input_ids[b].eq(self.eos_token_id).any().item():
                        h[b, -1] = h[b, -1] + 1e3 * self._boundary_state()  # expect: T5
        return self.lm_head(self.ln_f(h))


def corpus_case():
    torch.manual_seed(0)
    model = TinyGPT().eval()
    reference = TinyGPT(boundary_reset=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(4, 128, (n, 16))

    def trigger(ids):
        ids = ids.clone()
        pos = torch.randint(0, 15, (ids.shape[0],))
        ids[torch.arange(ids.shape[0]), pos] = 3
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 1}
