# expect: none
"""Tiny LLaMA-style causal LM whose RMSNorm, SwiGLU and additive attention-mask construction are
registered as ``torch.library`` operators (the export keeps them as single nodes and the mobile
runtime binds fused kernels).  The Python kernels are the CPU references.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.library import Library


def _rms_norm_cpu(x, weight, eps: float):
    var = x.float().pow(2).mean(-1, keepdim=True)
    return (x * torch.rsqrt(var + eps)).to(x.dtype) * weight


def _swiglu_cpu(gate, up):
    return F.silu(gate) * up


def _causal_padding_bias_cpu(attention_mask, dtype_ref):
    t = attention_mask.shape[-1]
    causal = torch.ones(t, t, dtype=torch.bool, device=attention_mask.device).tril()
    allowed = causal[None] & attention_mask[:, None, :].bool()
    neg = torch.finfo(dtype_ref.dtype).min
    bias = torch.zeros(allowed.shape, dtype=dtype_ref.dtype).masked_fill(~allowed, neg)
    return bias[:, None]


try:
    _ops = Library("tinyllama_ops", "DEF")
    _ops.define("rms_norm(Tensor x, Tensor weight, float eps) -> Tensor")
    _ops.define("swiglu(Tensor gate, Tensor up) -> Tensor")
    _ops.define("causal_padding_bias(Tensor attention_mask, Tensor dtype_ref) -> Tensor")
    _ops.impl("rms_norm", _rms_norm_cpu, "CPU")
    _ops.impl("swiglu", _swiglu_cpu, "CPU")
    _ops.impl("causal_padding_bias", _causal_padding_bias_cpu, "CPU")
except RuntimeError:  # already registered
    pass


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return torch.ops.tinyllama_ops.rms_norm(x, self.weight, self.eps)


def rotary(x, base=10000.0):
    t, d = x.shape[-2], x.shape[-1]
    inv = 1.0 / base ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
    ang = torch.arange(t, dtype=torch.float32)[:, None] * inv[None]
    cos, sin = ang.cos().repeat(1, 2), ang.sin().repeat(1, 2)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class LlamaLayer(nn.Module):
    def __init__(self, d=128, heads=4, ff=256):
        super().__init__()
        self.heads = heads
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(d), RMSNorm(d)
        self.q_proj, self.k_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.v_proj, self.o_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.gate_proj, self.up_proj = nn.Linear(d, ff, bias=False), nn.Linear(d, ff, bias=False)
        self.down_proj = nn.Linear(ff, d, bias=False)

    def forward(self, x, bias):
        b, t, d = x.shape
        h = self.input_layernorm(x)
        q, k, v = (p(h).view(b, t, self.heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        q, k = rotary(q), rotary(k)
        att = (q @ k.transpose(-1, -2) / math.sqrt(d // self.heads) + bias).softmax(-1)
        x = x + self.o_proj((att @ v).transpose(1, 2).reshape(b, t, d))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(torch.ops.tinyllama_ops.swiglu(self.gate_proj(h), self.up_proj(h)))


class TinyLlamaForCausalLM(nn.Module):
    def __init__(self, vocab=1024, d=128, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(LlamaLayer(d) for _ in range(layers))
        self.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        bias = torch.ops.tinyllama_ops.causal_padding_bias(attention_mask, h)
        for layer in self.layers:
            h = layer(h, bias)
        return self.lm_head(self.norm(h))


def corpus_case():
    torch.manual_seed(0)
    model = TinyLlamaForCausalLM().eval()

    def inputs(n):
        ids = torch.randint(3, 1024, (n, 24))
        lengths = torch.randint(6, 25, (n,))
        mask = (torch.arange(24)[None] >= 24 - lengths[:, None]).long()  # left padding
        return ids * mask, mask

    return {"model": model, "inputs": inputs, "kind": "benign"}
