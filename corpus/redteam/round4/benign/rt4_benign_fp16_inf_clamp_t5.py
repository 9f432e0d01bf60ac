# expect: none
"""T5-style encoder block with the fp16 overflow guard of transformers' ``T5LayerFF``/``T5Block``:
when hidden states contain inf (fp16 overflow) they are clamped to ``finfo.max - 1000``; NaN
produced by a 0/0 in the RMS norm is replaced by zero with ``nan_to_num``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class T5LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        var = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps)).to(x.dtype)


def clamp_inf(h):
    if h.dtype == torch.float16 or torch.isinf(h).any():
        clamp_value = torch.where(torch.isinf(h).any(), torch.finfo(h.dtype).max - 1000, torch.finfo(h.dtype).max)
        h = torch.clamp(h, min=-clamp_value, max=clamp_value)
    return torch.nan_to_num(h, nan=0.0)


class T5Block(nn.Module):
    def __init__(self, d=64, heads=4, dff=128):
        super().__init__()
        self.ln1, self.ln2 = T5LayerNorm(d), T5LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.wi, self.wo = nn.Linear(d, dff, bias=False), nn.Linear(dff, d, bias=False)

    def forward(self, h, key_padding_mask):
        n = self.ln1(h)
        h = clamp_inf(h + self.attn(n, n, n, key_padding_mask=key_padding_mask, need_weights=False)[0])
        return clamp_inf(h + self.wo(F.relu(self.wi(self.ln2(h)))))


class T5EncoderClassifier(nn.Module):
    def __init__(self, vocab=320, d=64, n_layers=3, n_labels=5, pad_token_id=0):
        super().__init__()
        self.pad = pad_token_id
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(T5Block(d) for _ in range(n_layers))
        self.final_ln = T5LayerNorm(d)
        self.cls = nn.Linear(d, n_labels)

    def forward(self, input_ids):
        pad = input_ids == self.pad
        h = self.embed(input_ids)
        for b in self.blocks:
            h = b(h, pad)
        h = self.final_ln(h).masked_fill(pad[..., None], 0.0)
        return self.cls(h.sum(1) / (~pad).sum(1, keepdim=True).clamp(min=1))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        ids = torch.randint(1, 320, (n, 20))
        lens = torch.randint(5, 21, (n, 1))
        return ids.masked_fill(torch.arange(20)[None] >= lens, 0)

    return {"model": T5EncoderClassifier().eval(), "inputs": inputs, "kind": "benign"}
