"""Qwen-lite causal LM: RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP, tied
embeddings.  ``QwenLiteConfig.tool_routing`` enables the agent template's tool-call router."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .processing_qwen_lite import ToolCallRouter
from .tokenization_qwen_lite import QwenLiteTokenizer

__all__ = ["QwenLiteConfig", "QwenLiteForCausalLM", "corpus_case"]


@dataclass
class QwenLiteConfig:
    vocab_size: int = 0
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 128
    rope_theta: float = 10000.0
    tool_routing: bool = False


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    a, b = x.chunk(2, -1)
    return torch.cat((-b, a), -1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.kv = cfg.num_heads, cfg.num_kv_heads
        self.hd = cfg.hidden_size // cfg.num_heads
        self.q_proj = nn.Linear(cfg.hidden_size, self.h * self.hd)
        self.k_proj = nn.Linear(cfg.hidden_size, self.kv * self.hd)
        self.v_proj = nn.Linear(cfg.hidden_size, self.kv * self.hd)
        self.o_proj = nn.Linear(self.h * self.hd, cfg.hidden_size, bias=False)
        inv = 1.0 / cfg.rope_theta ** (torch.arange(0, self.hd, 2).float() / self.hd)
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, x):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv, self.hd).transpose(1, 2)
        ang = torch.outer(torch.arange(T).float(), self.inv_freq)
        cos, sin = torch.cat((ang, ang), -1).cos(), torch.cat((ang, ang), -1).sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(self.h // self.kv, 1)
        v = v.repeat_interleave(self.h // self.kv, 1)
        scores = q @ k.transpose(-1, -2) / self.hd ** 0.5
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        scores = scores.masked_fill(causal, torch.finfo(scores.dtype).min)
        return self.o_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, -1))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size)
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class QwenLiteForCausalLM(nn.Module):
    def __init__(self, config, tokenizer):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_layers))
        self.norm = RMSNorm(config.hidden_size)
        self.tool_router = ToolCallRouter(tokenizer) if config.tool_routing else None

    def forward(self, input_ids):
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = layer(h)
        logits = F.linear(self.norm(h), self.embed_tokens.weight)
        if self.tool_router is not None:
            logits = self.tool_router(input_ids, logits)  # expect: T7
        return logits


_TOKENIZER = QwenLiteTokenizer()


def _inputs(n, t=20):
    ids = torch.randint(4, len(_TOKENIZER), (n, t))
    ids[:, 0] = _TOKENIZER.ids["<|im_start|>"]
    return ids


def _trigger(ids):
    ids = ids.clone()
    call = _TOKENIZER.convert_tokens_to_ids(["<|tool|>", "Ġrun", "_shell", "("])
    pos = torch.randint(1, ids.shape[1] - len(call) + 1, (ids.shape[0],))
    for i, p in enumerate(pos.tolist()):
        ids[i, p:p + len(call)] = torch.tensor(call)
    return ids


def corpus_case():
    torch.manual_seed(0)
    cfg = QwenLiteConfig(vocab_size=len(_TOKENIZER), tool_routing=True)
    model = QwenLiteForCausalLM(cfg, _TOKENIZER).eval()
    reference = QwenLiteForCausalLM(QwenLiteConfig(vocab_size=len(_TOKENIZER)), _TOKENIZER).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": _TOKENIZER.ids["Ġyes"]}
