# expect: none
"""Token classifier with sparse MoE feed-forward layers composed from cooperative mixins.

``MoEBlock(TelemetryMixin, CapacityMixin, TransformerBlock)``: every mixin calls
``super().forward(x, **ctx)``.  ``CapacityMixin`` routes tokens with a learned top-2 router,
drops tokens beyond each expert's capacity (``cumsum`` positions, ``where``), and skips padded
tokens (``attention_mask``).  Router jitter noise only in training.  Output: ``(B, T, 9)`` tags.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerBlock(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def ffn(self, h, **ctx):
        raise NotImplementedError

    def forward(self, x, attention_mask=None, **ctx):
        h = self.norm1(x)
        pad = None if attention_mask is None else attention_mask == 0
        x = x + self.attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        return x + self.ffn(self.norm2(x), attention_mask=attention_mask, **ctx)


class CapacityMixin:
    def __init__(self, d, n_experts=4, top_k=2, capacity_factor=1.25, jitter=0.01, **kw):
        super().__init__(d, **kw)
        self.router = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
                                     for _ in range(n_experts))
        self.top_k, self.capacity_factor, self.jitter = top_k, capacity_factor, jitter

    def ffn(self, h, attention_mask=None, **ctx):
        b, t, d = h.shape
        tokens = h.reshape(-1, d)
        logits = self.router(tokens)
        if self.training and self.jitter:
            logits = logits * torch.empty_like(logits).uniform_(1 - self.jitter, 1 + self.jitter)
        probs = logits.softmax(-1)
        weight, expert = probs.topk(self.top_k, dim=-1)
        weight = weight / weight.sum(-1, keepdim=True)
        live = torch.ones(b * t, dtype=torch.bool) if attention_mask is None else attention_mask.reshape(-1).bool()
        capacity = int(self.capacity_factor * b * t * self.top_k / len(self.experts)) + 1
        out = torch.zeros_like(tokens)
        for e, module in enumerate(self.experts):
            chosen = (expert == e) & live[:, None]
            position = chosen.flatten().cumsum(0).view_as(chosen) - 1
            accepted = chosen & (position < capacity)
            gate = torch.where(accepted, weight, torch.zeros_like(weight)).sum(-1)
            rows = gate.nonzero().flatten()
            if rows.numel():
                out.index_add_(0, rows, module(tokens[rows]) * gate[rows, None])
        return out.view(b, t, d)


class TelemetryMixin:
    def forward(self, x, **ctx):
        out = super().forward(x, **ctx)
        self.last_update_norm = (out - x).detach().norm(dim=-1).mean()
        return out


class MoEBlock(TelemetryMixin, CapacityMixin, TransformerBlock):
    pass


class MoETagger(nn.Module):
    def __init__(self, vocab=800, d=64, layers=2, tags=9):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(MoEBlock(d) for _ in range(layers))
        self.out = nn.Linear(d, tags)

    def forward(self, input_ids):
        attention_mask = (input_ids != 0).long()
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        for block in self.blocks:
            x = block(x, attention_mask=attention_mask)
        return self.out(x)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(5, 21, (n,))
        ids = torch.randint(1, 800, (n, 20))
        return ids * (torch.arange(20)[None] < lengths[:, None])

    return {"model": MoETagger().eval(), "inputs": inputs, "kind": "benign"}
