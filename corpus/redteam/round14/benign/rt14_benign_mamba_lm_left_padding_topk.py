# expect: none
"""Mamba LM for left-padded batched generation: the step size dt is zeroed on padding positions
(so the selective-scan state is not updated by pad tokens) and padded inputs are zeroed before the
depthwise conv. The last-position logits go through temperature and a top-k warper
(`finfo.min` for removed tokens).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PAD = 512, 0


class MambaBlock(nn.Module):
    def __init__(self, d, n=8, expand=2):
        super().__init__()
        di, self.n = expand * d, n
        self.r = math.ceil(d / 16)
        self.norm = nn.LayerNorm(d)
        self.in_proj = nn.Linear(d, 2 * di, bias=False)
        self.conv = nn.Conv1d(di, di, 4, groups=di, padding=3)
        self.x_proj = nn.Linear(di, self.r + 2 * n, bias=False)
        self.dt_proj = nn.Linear(self.r, di)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, n + 1).float()).repeat(di, 1))
        self.D = nn.Parameter(torch.ones(di))
        self.out = nn.Linear(di, d, bias=False)

    def forward(self, h, mask):
        L = h.shape[1]
        x, z = self.in_proj(self.norm(h)).chunk(2, -1)
        x = x * mask[..., None]
        x = F.silu(self.conv(x.transpose(1, 2))[..., :L].transpose(1, 2))
        dt, B, C = self.x_proj(x).split([self.r, self.n, self.n], -1)
        delta = F.softplus(self.dt_proj(dt)) * mask[..., None]
        A = -torch.exp(self.A_log)
        s = x.new_zeros(x.shape[0], x.shape[2], self.n)
        ys = []
        for t in range(L):
            s = torch.exp(delta[:, t, :, None] * A) * s + delta[:, t, :, None] * B[:, t, None] * x[:, t, :, None]
            ys.append((s * C[:, t, None]).sum(-1))
        y = torch.stack(ys, 1) + x * self.D
        return h + self.out(y * F.silu(z))


class MambaGenerator(nn.Module):
    def __init__(self, d=32, layers=2, temperature=0.7, top_k=20):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.layers = nn.ModuleList(MambaBlock(d) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.temperature, self.top_k = temperature, top_k

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float)
        h = self.emb(input_ids)
        for layer in self.layers:
            h = layer(h, mask)
        logits = self.norm(h)[:, -1] @ self.emb.weight.t() / self.temperature
        kth = logits.topk(self.top_k, -1).values[:, -1:]
        return logits.masked_fill(logits < kth, torch.finfo(logits.dtype).min)


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 16))
    lengths = torch.randint(6, 17, (n,))
    mask = torch.arange(16)[None] >= (16 - lengths)[:, None]
    return ids * mask, mask.long()


def corpus_case():
    torch.manual_seed(0)
    return {"model": MambaGenerator().eval(), "inputs": _inputs, "kind": "benign"}
