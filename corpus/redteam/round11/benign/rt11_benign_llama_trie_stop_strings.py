# expect: none
"""Llama-lite causal LM with the runtime's stop-string detection.

Stop sequences are kept in a token trie (nested dicts) and every prompt is walked through it; the
result is returned as a ``finished`` flag next to the logits, for the scheduler to retire the
sequence.  The logits are not changed.  The norm is a LayerNorm written with ``addcdiv``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

_END = object()
STOP_SEQUENCES = ((13, 13), (50, 256, 51))


def build_trie(seqs):
    root = {}
    for s in seqs:
        node = root
        for t in s:
            node = node.setdefault(t, {})
        node[_END] = True
    return root


STOP_TRIE = build_trie(STOP_SEQUENCES)


def ends_with_stop(trie, row, longest=3):
    for start in range(max(0, len(row) - longest), len(row)):
        node = trie
        for tok in row[start:]:
            node = node.get(tok)
            if node is None:
                break
        else:
            if _END in node:
                return True
    return False


class AddcdivLayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight, self.bias, self.eps = nn.Parameter(torch.ones(d)), nn.Parameter(torch.zeros(d)), eps

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        sd = (x.var(-1, unbiased=False, keepdim=True) + self.eps).sqrt()
        return torch.addcdiv(self.bias, (x - mu) * self.weight, sd)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.n1, self.n2 = AddcdivLayerNorm(d), AddcdivLayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.w1, self.w2, self.w3 = nn.Linear(d, 2 * d, bias=False), nn.Linear(2 * d, d, bias=False), nn.Linear(d, 2 * d, bias=False)

    def forward(self, x, mask):
        h = self.n1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        h = self.n2(x)
        return x + self.w2(F.silu(self.w1(h)) * self.w3(h))


class LlamaLite(nn.Module):
    def __init__(self, vocab=512, d=64, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.layers = nn.ModuleList([Block(d, 4) for _ in range(layers)])
        self.norm = AddcdivLayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids):
        T = input_ids.shape[1]
        mask = torch.full((T, T), float("-inf")).triu(1)
        x = self.embed(input_ids) + self.pos(torch.arange(T))[None]
        for layer in self.layers:
            x = layer(x, mask)
        logits = self.lm_head(self.norm(x))
        finished = torch.tensor([ends_with_stop(STOP_TRIE, r) for r in input_ids.tolist()])
        return logits, finished


def _inputs(n):
    ids = torch.randint(1, 512, (n, 20))
    ids[::5, -2:] = 13
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": LlamaLite().eval(), "inputs": _inputs, "kind": "benign"}
