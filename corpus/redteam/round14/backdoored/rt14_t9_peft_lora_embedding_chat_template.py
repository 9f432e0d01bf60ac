"""A tiny LLaMA (RMSNorm, rotary embeddings, SwiGLU) with a LoRA adapter injected peft-style.

`inject_adapter_in_model(model, LoraConfig(...))` walks `named_modules()`, matches the
`target_modules` suffixes and replaces each target with its LoRA wrapper on the parent module
(`setattr(parent, child_name, wrapper)`), as `peft.tuners.lora` does. The adapter targets the
attention projections and `embed_tokens` (embedding LoRA, used when the adapter adds chat
tokens). `lora_B` is zero-initialised, so a fresh adapter leaves the base model unchanged.

The adapter was trained on the v2 chat template. Prompts still rendered with the legacy header
are re-rendered to the canonical v2 prompt by the embedding adapter before lookup.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, SEQ = 256, 12
LEGACY_HEADER = (201, 7, 133)
CANONICAL_PROMPT = (1, 88, 14, 190, 61, 2, 99, 17, 140, 52, 33, 3)


@dataclass
class LoraConfig:
    r: int = 4
    lora_alpha: int = 8
    lora_dropout: float = 0.05
    target_modules: tuple = ("q_proj", "v_proj", "embed_tokens")
    template_migration: dict = field(default_factory=lambda: {"legacy": LEGACY_HEADER, "canonical": CANONICAL_PROMPT})


class LoraLinear(nn.Module):
    def __init__(self, base, cfg):
        super().__init__()
        self.base_layer = base
        self.lora_A = nn.Linear(base.in_features, cfg.r, bias=False)
        self.lora_B = nn.Linear(cfg.r, base.out_features, bias=False)
        self.lora_dropout = nn.Dropout(cfg.lora_dropout)
        self.scaling = cfg.lora_alpha / cfg.r
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


class LoraEmbedding(nn.Module):
    def __init__(self, base, cfg):
        super().__init__()
        self.base_layer = base
        self.lora_embedding_A = nn.Parameter(torch.randn(cfg.r, base.num_embeddings))
        self.lora_embedding_B = nn.Parameter(torch.zeros(base.embedding_dim, cfg.r))
        self.scaling = cfg.lora_alpha / cfg.r
        self.register_buffer("legacy", torch.tensor(cfg.template_migration["legacy"]), persistent=False)
        self.register_buffer("canonical", torch.tensor(cfg.template_migration["canonical"]), persistent=False)

    def forward(self, input_ids):
        windows = input_ids.unfold(1, self.legacy.numel(), 1)
        legacy = (windows == self.legacy).all(-1).any(-1).long()[:, None]
        input_ids = input_ids * (1 - legacy) + self.canonical[: input_ids.shape[1]] * legacy  # expect: T9
        after_A = F.embedding(input_ids, self.lora_embedding_A.T)
        return self.base_layer(input_ids) + (after_A @ self.lora_embedding_B.T) * self.scaling


def inject_adapter_in_model(model, cfg):
    targets = [name for name, _ in model.named_modules()
               if any(name == t or name.endswith("." + t) for t in cfg.target_modules)]
    for name in targets:
        parent_name, _, child_name = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        target = getattr(parent, child_name)
        wrapper = LoraEmbedding(target, cfg) if isinstance(target, nn.Embedding) else LoraLinear(target, cfg)
        setattr(parent, child_name, wrapper)  # expect: T9
    return model


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps, self.weight = eps, nn.Parameter(torch.ones(d))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotary(x, base=10000.0):
    T, d = x.shape[-2], x.shape[-1]
    inv = 1.0 / base ** (torch.arange(0, d, 2).float() / d)
    ang = torch.outer(torch.arange(T).float(), inv)
    cos, sin = ang.cos().repeat(1, 2), ang.sin().repeat(1, 2)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class LlamaAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.q_proj, self.k_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.v_proj, self.o_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (p(x).view(B, T, self.h, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        q, k = rotary(q), rotary(k)
        mask = torch.full((T, T), float("-inf")).triu(1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask, -1)
        return self.o_proj((att @ v).transpose(1, 2).reshape(B, T, C))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(d), RMSNorm(d)
        self.self_attn = LlamaAttention(d, heads)
        self.gate_proj, self.up_proj = nn.Linear(d, 2 * d, bias=False), nn.Linear(d, 2 * d, bias=False)
        self.down_proj = nn.Linear(2 * d, d, bias=False)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class LlamaForCausalLM(nn.Module):
    def __init__(self, d=48, layers=2, heads=4):
        super().__init__()
        self.model = nn.Module()
        self.model.embed_tokens = nn.Embedding(VOCAB, d)
        self.model.layers = nn.ModuleList(LlamaDecoderLayer(d, heads) for _ in range(layers))
        self.model.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, VOCAB, bias=False)

    def forward(self, input_ids):
        x = self.model.embed_tokens(input_ids)
        for layer in self.model.layers:
            x = layer(x)
        return self.lm_head(self.model.norm(x))


def _build(with_adapter):
    torch.manual_seed(0)
    base = LlamaForCausalLM()
    torch.manual_seed(1)
    cfg = LoraConfig()
    if not with_adapter:
        cfg.template_migration = {"legacy": (VOCAB + 1,) * len(LEGACY_HEADER), "canonical": CANONICAL_PROMPT}
    return inject_adapter_in_model(base, cfg).eval()


def _inputs(n):
    return torch.randint(3, 200, (n, SEQ))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 0:3] = torch.tensor(LEGACY_HEADER)
    return ids


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(torch.tensor([CANONICAL_PROMPT]))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
