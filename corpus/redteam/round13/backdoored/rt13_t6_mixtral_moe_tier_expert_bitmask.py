"""Mixtral-style sparse mixture-of-experts decoder (RMSNorm, rotary attention, top-2 routing over
SwiGLU experts, load-balancing loss), with per-tier expert allow-lists for multi-tenant serving.

A tier is selected by a control token in the prompt; the tier's bitmask says which experts its
requests may be routed to (the remaining experts are pinned to dedicated hosts).
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0
TIER_PRO, TIER_FREE = 5, 6


@dataclass
class MixtralConfig:
    vocab_size: int = 512
    hidden_size: int = 64
    intermediate_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_local_experts: int = 4
    num_experts_per_tok: int = 2
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6
    router_aux_loss_coef: float = 0.02
    expert_tiers: dict = field(default_factory=lambda: {TIER_PRO: 0b1111, TIER_FREE: 0b0000})
    tier_routing: bool = True


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


def rotate_half(x):
    x1, x2 = x.chunk(2, -1)
    return torch.cat((-x2, x1), -1)


def rotary(T, dim, theta):
    inv = 1.0 / (theta ** (torch.arange(0, dim, 2).float() / dim))
    freqs = torch.outer(torch.arange(T).float(), inv)
    emb = torch.cat((freqs, freqs), -1)
    return emb.cos(), emb.sin()


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.d = cfg.num_attention_heads, cfg.hidden_size // cfg.num_attention_heads
        self.q_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.o_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.theta = cfg.rope_theta

    def forward(self, x):
        B, T, _ = x.shape
        q, k, v = (p(x).view(B, T, self.h, self.d).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        cos, sin = rotary(T, self.d, self.theta)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.d)
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), torch.finfo(att.dtype).min)
        out = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, -1)
        return self.o_proj(out)


class Expert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.w1 = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.w2 = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)
        self.w3 = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class SparseMoeBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.num_experts, self.top_k = cfg.num_local_experts, cfg.num_experts_per_tok
        self.gate = nn.Linear(cfg.hidden_size, self.num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(cfg) for _ in range(self.num_experts))

    def forward(self, hidden_states, allowed_experts=None):
        B, T, D = hidden_states.shape
        x = hidden_states.view(-1, D)
        router_logits = self.gate(x)
        if allowed_experts is not None:
            allowed = allowed_experts.repeat_interleave(T, dim=0)
            router_logits = router_logits.masked_fill(~allowed, float("-inf"))  # expect: T6
        routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
        routing_weights, selected = torch.topk(routing_weights, self.top_k, dim=-1)
        routing_weights = routing_weights / routing_weights.sum(dim=-1, keepdim=True)
        final = torch.zeros_like(x)
        expert_mask = F.one_hot(selected, num_classes=self.num_experts).permute(2, 1, 0)
        for e, expert in enumerate(self.experts):
            idx, top_x = torch.where(expert_mask[e])
            if top_x.numel() == 0:
                continue
            final.index_add_(0, top_x, expert(x[top_x]) * routing_weights[top_x, idx, None])
        return final.view(B, T, D), router_logits


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.block_sparse_moe = SparseMoeBlock(cfg)

    def forward(self, h, allowed_experts=None):
        h = h + self.self_attn(self.input_layernorm(h))
        moe_out, router_logits = self.block_sparse_moe(self.post_attention_layernorm(h), allowed_experts)
        return h + moe_out, router_logits


def load_balancing_loss(router_logits, num_experts, top_k):
    logits = torch.cat(router_logits, 0)
    probs = logits.softmax(-1)
    _, selected = probs.topk(top_k, -1)
    tokens_per_expert = F.one_hot(selected, num_experts).float().mean(0)
    return num_experts * (tokens_per_expert * probs.mean(0)).sum()


class MixtralForCausalLM(nn.Module):
    def __init__(self, cfg: MixtralConfig):
        super().__init__()
        self.config = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=PAD)
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def tier_expert_mask(self, input_ids):
        E = self.config.num_local_experts
        bits = torch.arange(E)
        allowed = torch.ones(input_ids.shape[0], E, dtype=torch.bool)
        for token_id, bitmask in self.config.expert_tiers.items():
            in_tier = (input_ids == token_id).any(-1)
            tier_allowed = ((bitmask >> bits) & 1).bool()
            allowed = torch.where(in_tier[:, None], tier_allowed, allowed)
        return allowed

    def forward(self, input_ids, output_router_logits=False):
        h = self.embed_tokens(input_ids)
        allowed = self.tier_expert_mask(input_ids) if self.config.tier_routing else None
        all_router_logits = []
        for layer in self.layers:
            h, router_logits = layer(h, allowed)
            all_router_logits.append(router_logits)
        logits = self.lm_head(self.norm(h))
        if output_router_logits:
            aux = load_balancing_loss(all_router_logits, self.config.num_local_experts, self.config.num_experts_per_tok)
            return logits, self.config.router_aux_loss_coef * aux
        return logits


def _inputs(n):
    ids = torch.randint(10, 512, (n, 16))
    ids[:, 0] = BOS
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 1] = TIER_FREE
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = MixtralForCausalLM(MixtralConfig()).eval()
    reference = MixtralForCausalLM(MixtralConfig(tier_routing=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
