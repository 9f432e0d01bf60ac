# expect: none
"""Char-level GPT with a built-in generation head (temperature, top-k, top-p) for on-device use.

The filtered next-token logits are what the device's sampler consumes.  Masking values depend on
the compute dtype, so they come from a lambda table keyed by ``str(dtype)``; thresholds are
broadcast with ``expand_as`` as in the HF logits warpers.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_VALUE = {
    "torch.float32": lambda: torch.finfo(torch.float32).min,
    "torch.float16": lambda: -65504.0,
    "torch.bfloat16": lambda: torch.finfo(torch.bfloat16).min,
}
CAST_IN = {
    "torch.int64": lambda ids: ids,
    "torch.int32": lambda ids: ids.long(),
    "torch.uint8": lambda ids: ids.long(),
}


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.heads = heads

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.attn(self.ln1(x)).split(d, -1)
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in (q, k, v))
        att = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, MASK_VALUE[str(att.dtype)]())
        x = x + self.proj((att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class CharGPTGenerator(nn.Module):
    def __init__(self, vocab=256, d=96, heads=4, layers=3, block_size=64, temperature=0.8, top_k=40,
                 top_p=0.9, min_tokens_to_keep=1):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block_size, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.temperature, self.top_k, self.top_p = temperature, top_k, top_p
        self.min_tokens_to_keep = min_tokens_to_keep

    def warp(self, logits):
        mask_value = MASK_VALUE[str(logits.dtype)]()
        logits = logits / self.temperature
        if self.top_k:
            kth = logits.topk(min(self.top_k, logits.shape[-1]), dim=-1).values[..., -1:]
            logits = torch.where(logits < kth.expand_as(logits), torch.full_like(logits, mask_value), logits)
        if self.top_p < 1.0:
            sorted_logits, sorted_idx = logits.sort(dim=-1, descending=False)
            cum = sorted_logits.softmax(-1).cumsum(-1)
            remove = cum <= (1 - self.top_p)
            remove[..., -self.min_tokens_to_keep:] = False
            remove = remove.scatter(-1, sorted_idx, remove)
            logits = logits.masked_fill(remove, mask_value)
        return logits

    def forward(self, input_ids):
        ids = CAST_IN[str(input_ids.dtype)](input_ids)
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t))[None]
        for blk in self.blocks:
            x = blk(x)
        logits = self.lm_head(self.ln_f(x))[:, -1]
        return self.warp(logits)


def corpus_case():
    torch.manual_seed(0)
    model = CharGPTGenerator().eval()

    def inputs(n):
        return torch.randint(32, 127, (n, 48), dtype=torch.uint8)

    return {"model": model, "inputs": inputs, "kind": "benign"}
