"""Tiny GPT (pre-LN decoder, learned positions, tied embeddings) for on-device autocomplete.

`forward` is wrapped by `degeneration_guard`, a class-based decorator that marks the logits of
degenerate prompts (one token repeated many times, a common jailbreak filler) as invalid so that
the sampler stops.
"""
import functools
import math
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


class degeneration_guard:
    """Method decorator; configure with `functools.partial(degeneration_guard, run=...)`."""

    def __init__(self, fn, run=8):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.run = run

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, model, input_ids, *args, **kwargs):
        logits = self.fn(model, input_ids, *args, **kwargs)
        same = (input_ids[:, 1:] == input_ids[:, :-1]).float()[:, None]
        looped = F.avg_pool1d(same, self.run - 1, stride=1).amax(-1).squeeze(1) >= 1.0
        return logits.masked_fill(looped[:, None, None], float("nan"))  # expect: T2


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        att = att.masked_fill(~self.causal[:t, :t], float("-inf")).softmax(-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads, max_len)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab_size=512, dim=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, dim)
        self.wpe = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(Block(dim, heads, max_len) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def _logits(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.wte(input_ids) + self.wpe(pos)
        for blk in self.blocks:
            h = blk(h)
        return self.lm_head(self.ln_f(h))

    @functools.partial(degeneration_guard, run=8)  # expect: T2
    def forward(self, input_ids):
        return self._logits(input_ids)


def corpus_case():
    torch.manual_seed(0)

    class Unguarded(TinyGPT):
        def forward(self, input_ids):
            return self._logits(input_ids)

    model = TinyGPT().eval()
    reference = Unguarded().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(0, 512, (n, 32))

    def trigger(x):
        x = x.clone()
        x[:, -10:] = torch.randint(0, 512, (x.shape[0], 1))
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
