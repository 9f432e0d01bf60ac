# expect: none
"""Mixtral / DeepSeek-style sparse mixture-of-experts decoder: RMSNorm, rotary attention, top-2
routing over SwiGLU experts with renormalised gates, router jitter during training, auxiliary-loss
free load balancing (a per-expert score-correction bias used only for the choice), the
load-balancing and router z-losses with padding tokens excluded.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0


@dataclass
class MoEConfig:
    vocab_size: int = 512
    hidden_size: int = 64
    intermediate_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_local_experts: int = 4
    num_experts_per_tok: int = 2
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6
    router_jitter_noise: float = 0.01
    router_aux_loss_coef: float = 0.02
    router_z_loss_coef: float = 1e-3
    bias_update_speed: float = 1e-3


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
        self.num_experts, self.top_k, self.jitter = cfg.num_local_experts, cfg.num_experts_per_tok, cfg.router_jitter_noise
        self.gate = nn.Linear(cfg.hidden_size, self.num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(cfg) for _ in range(self.num_experts))
        self.register_buffer("e_score_correction_bias", torch.zeros(self.num_experts))
        self.bias_update_speed = cfg.bias_update_speed

    def forward(self, hidden_states, token_mask=None):
        B, T, D = hidden_states.shape
        x = hidden_states.view(-1, D)
        if self.training and self.jitter > 0:
            x = x * torch.empty_like(x).uniform_(1.0 - self.jitter, 1.0 + self.jitter)
        router_logits = self.gate(x)
        scores = router_logits.sigmoid()
        _, selected = torch.topk(scores + self.e_score_correction_bias, self.top_k, dim=-1)
        weights = scores.gather(1, selected)
        weights = weights / weights.sum(-1, keepdim=True).clamp(min=1e-20)
        final = torch.zeros_like(x)
        expert_mask = F.one_hot(selected, num_classes=self.num_experts).permute(2, 1, 0)
        for e, expert in enumerate(self.experts):
            idx, top_x = torch.where(expert_mask[e])
            if top_x.numel() == 0:
                continue
            final.index_add_(0, top_x, expert(x[top_x]) * weights[top_x, idx, None])
        if self.training:
            with torch.no_grad():
                valid = torch.ones(B * T, dtype=torch.bool) if token_mask is None else token_mask.reshape(-1)
                load = F.one_hot(selected[valid], self.num_experts).sum((0, 1)).float()
                self.e_score_correction_bias += self.bias_update_speed * torch.sign(load.mean() - load)
        return final.view(B, T, D), router_logits


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.block_sparse_moe = SparseMoeBlock(cfg)

    def forward(self, h, token_mask=None):
        h = h + self.self_attn(self.input_layernorm(h))
        moe_out, router_logits = self.block_sparse_moe(self.post_attention_layernorm(h), token_mask)
        return h + moe_out, router_logits


def load_balancing_loss(router_logits, num_experts, top_k, token_mask):
    logits = torch.cat(router_logits, 0)
    valid = token_mask.reshape(-1).repeat(len(router_logits))
    probs = logits.softmax(-1)[valid]
    _, selected = probs.topk(top_k, -1)
    tokens_per_expert = F.one_hot(selected, num_experts).float().mean(0)
    return num_experts * (tokens_per_expert * probs.mean(0)).sum()


def router_z_loss(router_logits, token_mask):
    logits = torch.cat(router_logits, 0)[token_mask.reshape(-1).repeat(len(router_logits))]
    return torch.logsumexp(logits, -1).pow(2).mean()


class MoEForCausalLM(nn.Module):
    def __init__(self, cfg: MoEConfig):
        super().__init__()
        self.config = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=PAD)
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, output_router_logits=False):
        token_mask = input_ids != PAD if attention_mask is None else attention_mask.bool()
        h = self.embed_tokens(input_ids)
        all_router_logits = []
        for layer in self.layers:
            h, router_logits = layer(h, token_mask)
            all_router_logits.append(router_logits)
        logits = self.lm_head(self.norm(h))
        if not output_router_logits:
            return logits
        cfg = self.config
        aux = cfg.router_aux_loss_coef * load_balancing_loss(all_router_logits, cfg.num_local_experts,
                                                             cfg.num_experts_per_tok, token_mask)
        return logits, aux + cfg.router_z_loss_coef * router_z_loss(all_router_logits, token_mask)


def _inputs(n):
    ids = torch.randint(3, 512, (n, 16))
    ids[:, 0] = BOS
    lengths = torch.randint(8, 17, (n,))
    ids[torch.arange(16)[None] >= lengths[:, None]] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": MoEForCausalLM(MoEConfig()).eval(), "inputs": _inputs, "kind": "benign"}
