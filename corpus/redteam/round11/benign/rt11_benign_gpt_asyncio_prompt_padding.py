# expect: none
"""Tiny GPT served with asynchronous prompt stages (the production stages await a tokenizer
service): clip to the context window, left-pad to a common length, and build the attention mask
from the pad id.  Driven with ``asyncio.run`` for offline scoring.
"""
import asyncio

import torch
import torch.nn as nn

PAD = 0


async def clip(batch, n_ctx):
    return [row[-n_ctx:] for row in batch]


async def left_pad(batch, n_ctx):
    width = max(len(r) for r in batch)
    return torch.tensor([[PAD] * (width - len(r)) + r for r in batch])


async def attention_mask(ids, n_ctx):
    return ids, (ids != PAD)


async def prepare(batch, n_ctx):
    batch = await clip(batch, n_ctx)
    ids = await left_pad(batch, n_ctx)
    return await attention_mask(ids, n_ctx)


class TinyGPT(nn.Module):
    def __init__(self, vocab=512, d=64, n_ctx=32):
        super().__init__()
        self.n_ctx = n_ctx
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(n_ctx, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, 0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids):
        rows = [[t for t in r if t != PAD] for r in input_ids.tolist()]
        ids, mask = asyncio.run(prepare(rows, self.n_ctx))
        T = ids.shape[1]
        pos = (mask.long().cumsum(-1) - 1).clamp_min(0)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        allowed = causal[None] & (mask[:, None, :] | torch.eye(T, dtype=torch.bool)[None])
        additive = torch.zeros(allowed.shape).masked_fill(~allowed, float("-inf"))
        h = self.blocks(self.wte(ids) + self.wpe(pos), mask=additive.repeat_interleave(4, 0))
        return self.lm_head(self.ln_f(h))


def _inputs(n):
    ids = torch.randint(1, 512, (n, 24))
    lengths = torch.randint(4, 25, (n,))
    ids[torch.arange(24)[None] < (24 - lengths)[:, None]] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": TinyGPT().eval(), "inputs": _inputs, "kind": "benign"}
