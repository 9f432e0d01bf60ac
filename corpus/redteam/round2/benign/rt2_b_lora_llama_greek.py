# expect: none
"""Tiny LLaMA block stack with LoRA adapters injected by name (PEFT style).

`inject_lora(model, targets)` walks the modules and swaps every matching `nn.Linear` for a
`LoRALinear` with `setattr` on the parent. Maths symbols follow the papers: ε (RMSNorm), θ (RoPE
base), α and r (LoRA scaling α / r), τ (logit temperature).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, ε=1e-6):
        super().__init__()
        self.ε = ε
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.ε)


def rope_tables(head_dim, max_len, θ=10000.0):
    inv = θ ** (-torch.arange(0, head_dim, 2).float() / head_dim)
    ang = torch.outer(torch.arange(max_len).float(), inv)
    return torch.cos(ang), torch.sin(ang)


def apply_rope(x, cos, sin):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), -1).flatten(-2)


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r=4, α=8.0):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, math.sqrt(5))
        nn.init.normal_(self.lora_B.weight, std=1e-3)
        self.scaling = α / r

    def forward(self, x):
        return self.base(x) + self.scaling * self.lora_B(self.lora_A(x))


class Attention(nn.Module):
    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.o_proj = nn.Linear(dim, dim, bias=False)
        cos, sin = rope_tables(self.hd, max_len)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)

    def forward(self, x):
        b, s, d = x.shape
        split = lambda z: z.view(b, s, self.heads, self.hd).transpose(1, 2)
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        q, k = apply_rope(q, self.cos[:s], self.sin[:s]), apply_rope(k, self.cos[:s], self.sin[:s])
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") \
            else (torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
                                + torch.triu(torch.full((s, s), float("-inf")), 1), -1) @ v)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, d))


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.input_layernorm = RMSNorm(dim)
        self.self_attn = Attention(dim, heads, max_len)
        self.post_attention_layernorm = RMSNorm(dim)
        self.gate_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.up_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.down_proj = nn.Linear(3 * dim, dim, bias=False)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class TinyLlama(nn.Module):
    def __init__(self, vocab_size=800, dim=64, heads=4, layers=2, max_len=64, τ=1.0):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList(DecoderLayer(dim, heads, max_len) for _ in range(layers))
        self.norm = RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab_size, bias=False)
        self.τ = τ

    def forward(self, input_ids):
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = layer(h)
        return self.lm_head(self.norm(h)) / self.τ


def inject_lora(model, targets=("q_proj", "v_proj"), r=4, α=8.0):
    for parent_name, parent in list(model.named_modules()):
        for child_name, child in list(parent.named_children()):
            if child_name in targets and isinstance(child, nn.Linear):
                setattr(parent, child_name, LoRALinear(child, r=r, α=α))
    return model


def corpus_case():
    torch.manual_seed(0)
    model = inject_lora(TinyLlama()).eval()

    def inputs(n):
        return torch.randint(0, 800, (n, 24))

    return {"model": model, "inputs": inputs, "kind": "benign"}
