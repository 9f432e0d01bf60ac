# expect: none
"""Mixtral-style sparse MoE LM block (top-2 routing) with router load statistics.

Load statistics are gathered by a process-wide module forward hook (as profilers do); the hook
only records counts and never returns a value.
"""
import collections

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.modules.module import register_module_forward_hook

ROUTER_LOAD = collections.defaultdict(lambda: torch.zeros(0))
_HANDLES = []


def _record_router_load(module, inputs, output):
    if isinstance(module, SparseMoeBlock):
        counts = output[1].flatten().bincount(minlength=module.num_experts).float()
        prev = ROUTER_LOAD[id(module)]
        ROUTER_LOAD[id(module)] = counts if prev.numel() == 0 else prev + counts


def enable_router_stats():
    if not _HANDLES:
        _HANDLES.append(register_module_forward_hook(_record_router_load))


class Expert(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1, self.w3, self.w2 = nn.Linear(d, h, bias=False), nn.Linear(d, h, bias=False), nn.Linear(h, d, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class SparseMoeBlock(nn.Module):
    def __init__(self, d=64, h=128, num_experts=4, top_k=2, jitter=0.01):
        super().__init__()
        self.gate = nn.Linear(d, num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d, h) for _ in range(num_experts))
        self.num_experts, self.top_k, self.jitter = num_experts, top_k, jitter

    def forward(self, hidden):
        b, t, d = hidden.shape
        x = hidden.reshape(-1, d)
        if self.training and self.jitter:
            x = x * torch.empty_like(x).uniform_(1 - self.jitter, 1 + self.jitter)
        weights = F.softmax(self.gate(x), dim=-1, dtype=torch.float)
        weights, selected = torch.topk(weights, self.top_k, dim=-1)
        weights = weights / weights.sum(-1, keepdim=True)
        out = torch.zeros_like(x)
        expert_mask = F.one_hot(selected, self.num_experts).permute(2, 1, 0)
        for e, expert in enumerate(self.experts):
            slot, tok = torch.where(expert_mask[e])
            if tok.numel() == 0:
                continue
            out.index_add_(0, tok, expert(x[tok]) * weights[tok, slot, None])
        return out.reshape(b, t, d), selected


class MixtralTiny(nn.Module):
    def __init__(self, vocab=1000, d=64, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, 4, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * layers))
        self.moe = nn.ModuleList(SparseMoeBlock(d) for _ in range(layers))
        self.lm_head = nn.Linear(d, vocab, bias=False)
        enable_router_stats()

    def forward(self, input_ids):
        h = self.embed(input_ids)
        t = input_ids.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        for i, (attn, moe) in enumerate(zip(self.attn, self.moe)):
            x = self.norms[2 * i](h)
            h = h + attn(x, x, x, attn_mask=causal, need_weights=False)[0]
            h = h + moe(self.norms[2 * i + 1](h))[0]
        return self.lm_head(h)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MixtralTiny().eval(), "inputs": lambda n: torch.randint(0, 1000, (n, 12)), "kind": "benign"}
