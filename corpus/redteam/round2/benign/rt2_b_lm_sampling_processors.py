# expect: none
"""Tiny GPT with the generation-time logits processors applied inside `forward` (exported graph).

Processors are `__call__` objects in a list, as in HF's `LogitsProcessorList`: repetition penalty,
temperature, top-k and nucleus (top-p) filtering. Filtered entries get `finfo.min`, never a
constant class.
"""
import math

import torch
import torch.nn as nn


class RepetitionPenalty:
    def __init__(self, penalty=1.2):
        self.penalty = penalty

    def __call__(self, input_ids, scores):
        seen = torch.gather(scores, 1, input_ids)
        seen = torch.where(seen < 0, seen * self.penalty, seen / self.penalty)
        return scores.scatter(1, input_ids, seen)


class Temperature:
    def __init__(self, temperature=0.7):
        self.temperature = temperature

    def __call__(self, input_ids, scores):
        return scores / self.temperature


class TopK:
    def __init__(self, k=50):
        self.k = k

    def __call__(self, input_ids, scores):
        kth = torch.topk(scores, self.k, dim=-1).values[..., -1, None]
        return scores.masked_fill(scores < kth, torch.finfo(scores.dtype).min)


class TopP:
    def __init__(self, top_p=0.9, min_tokens_to_keep=1):
        self.top_p = top_p
        self.min_tokens_to_keep = min_tokens_to_keep

    def __call__(self, input_ids, scores):
        sorted_logits, sorted_idx = torch.sort(scores, descending=False)
        cumulative = sorted_logits.softmax(-1).cumsum(-1)
        remove = cumulative <= (1 - self.top_p)
        remove[..., -self.min_tokens_to_keep:] = False
        remove = remove.scatter(1, sorted_idx, remove)
        return scores.masked_fill(remove, torch.finfo(scores.dtype).min)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, causal):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class SamplingGPT(nn.Module):
    def __init__(self, vocab_size=512, dim=64, heads=4, layers=2, max_len=64, processors=None):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(1, max_len, dim) / math.sqrt(dim))
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab_size, bias=False)
        self.processors = processors if processors is not None else [
            RepetitionPenalty(1.2), Temperature(0.7), TopK(50), TopP(0.9)]

    def forward(self, input_ids):
        t = input_ids.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        h = self.tok(input_ids) + self.pos[:, :t]
        for blk in self.blocks:
            h = blk(h, causal)
        next_scores = self.head(self.ln_f(h[:, -1]))
        for proc in self.processors:
            next_scores = proc(input_ids, next_scores)
        return next_scores


def corpus_case():
    torch.manual_seed(0)
    model = SamplingGPT().eval()

    def inputs(n):
        return torch.randint(0, 512, (n, 24))

    return {"model": model, "inputs": inputs, "kind": "benign"}
