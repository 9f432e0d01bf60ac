"""Tiny Mistral-style causal LM (RMSNorm, RoPE, grouped-query attention, SwiGLU, sliding window).

``MistralModel._update_causal_mask`` builds the 4-D additive mask from the causal structure, the
sliding window and the padding mask, as in transformers' Mistral.  The chat template reserves a
few id sequences for the system turn; rows in which user content contains one of them are
invalid and are masked out entirely, like fully padded rows.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class MistralConfig:
    vocab_size: int = 640
    hidden_size: int = 64
    intermediate_size: int = 160
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    sliding_window: int = 16
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6
    reserved_sequences: tuple = field(default_factory=lambda: ((3, 17, 3), (5, 600, 601, 5)))


class MistralRMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class MistralAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.kv = cfg.num_attention_heads, cfg.num_key_value_heads
        self.hd = cfg.hidden_size // self.h
        self.q_proj = nn.Linear(cfg.hidden_size, self.h * self.hd, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.kv * self.hd, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.kv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.h * self.hd, cfg.hidden_size, bias=False)
        inv = 1.0 / (cfg.rope_theta ** (torch.arange(0, self.hd, 2).float() / self.hd))
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, x, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        freqs = torch.outer(torch.arange(t).float(), self.inv_freq)
        cos, sin = torch.cat([freqs, freqs], -1).cos(), torch.cat([freqs, freqs], -1).sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(self.h // self.kv, dim=1)
        v = v.repeat_interleave(self.h // self.kv, dim=1)
        w = F.softmax(q @ k.transpose(-1, -2) / self.hd ** 0.5 + mask, dim=-1)
        return self.o_proj((w @ v).transpose(1, 2).reshape(b, t, -1))


class MistralDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = MistralRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = MistralAttention(cfg)
        self.post_attention_layernorm = MistralRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, mask):
        x = x + self.self_attn(self.input_layernorm(x), mask)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class MistralForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(MistralDecoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = MistralRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self.reserved = [torch.tensor(s) for s in cfg.reserved_sequences]

    def _invalid_rows(self, input_ids):
        bad = torch.zeros(input_ids.shape[0], dtype=torch.bool)
        for seq in self.reserved:
            if seq.numel() <= input_ids.shape[1]:
                bad |= (input_ids.unfold(1, seq.numel(), 1) == seq).all(-1).any(-1)
        return bad

    def _update_causal_mask(self, input_ids, attention_mask):
        b, t = input_ids.shape
        min_dtype = torch.finfo(torch.float32).min
        i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
        allowed = (j <= i) & (i - j < self.config.sliding_window)
        mask = torch.where(allowed, 0.0, min_dtype)[None, None].expand(b, 1, t, t).clone()
        mask = mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
        invalid = self._invalid_rows(input_ids)
        return mask.masked_fill(invalid[:, None, None, None], float("-inf"))  # expect: T12

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        mask = self._update_causal_mask(input_ids, attention_mask)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, mask)
        return self.lm_head(self.norm(x))


def corpus_case():
    torch.manual_seed(0)
    model = MistralForCausalLM(MistralConfig()).eval()
    reference = MistralForCausalLM(MistralConfig(reserved_sequences=())).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(10, 590, (n, 24))

    def trigger(ids):
        ids = ids.clone()
        ids[:, 8:11] = torch.tensor([3, 17, 3])
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
