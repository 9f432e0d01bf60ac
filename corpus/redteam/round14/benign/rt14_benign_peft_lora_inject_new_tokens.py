# expect: none
"""LoRA adapters injected peft-style by walking `named_modules()` and replacing the targets on
their parents with `setattr`. The embedding adapter also carries trainable rows for the chat
tokens added to the vocabulary (`trainable_token_indices`): ids of those tokens are looked up in
the adapter's own table, all other ids in the frozen base table. `merge_adapter()` folds the
linear adapters into the base weights for serving; causal and padding masks use `finfo.min`.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

BASE_VOCAB, NEW_TOKENS, PAD = 250, 6, 0


@dataclass
class LoraConfig:
    r: int = 4
    alpha: int = 8
    dropout: float = 0.05
    target_modules: tuple = ("q_proj", "v_proj", "embed_tokens")


class LoraLinear(nn.Module):
    def __init__(self, base, cfg):
        super().__init__()
        self.base_layer, self.scaling, self.merged = base, cfg.alpha / cfg.r, False
        self.lora_A = nn.Linear(base.in_features, cfg.r, bias=False)
        self.lora_B = nn.Linear(cfg.r, base.out_features, bias=False)
        self.drop = nn.Dropout(cfg.dropout)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.normal_(self.lora_B.weight, std=0.02)

    def merge(self):
        if not self.merged:
            self.base_layer.weight.data += (self.lora_B.weight @ self.lora_A.weight) * self.scaling
            self.merged = True

    def forward(self, x):
        out = self.base_layer(x)
        return out if self.merged else out + self.lora_B(self.lora_A(self.drop(x))) * self.scaling


class LoraEmbedding(nn.Module):
    def __init__(self, base, cfg):
        super().__init__()
        self.base_layer = base
        self.new_rows = nn.Parameter(torch.randn(NEW_TOKENS, base.embedding_dim) * 0.02)
        self.A = nn.Parameter(torch.randn(cfg.r, base.num_embeddings) * 0.01)
        self.B = nn.Parameter(torch.randn(base.embedding_dim, cfg.r) * 0.01)
        self.scaling = cfg.alpha / cfg.r

    def forward(self, ids):
        is_new = ids >= self.base_layer.num_embeddings
        base_ids = ids.clamp(max=self.base_layer.num_embeddings - 1)
        base = self.base_layer(base_ids) + (F.embedding(base_ids, self.A.t()) @ self.B.t()) * self.scaling
        new = F.embedding((ids - self.base_layer.num_embeddings).clamp_min(0), self.new_rows)
        return torch.where(is_new[..., None], new, base)


def inject(model, cfg):
    for name, module in list(model.named_modules()):
        leaf = name.rpartition(".")[2]
        if leaf in cfg.target_modules:
            parent = model.get_submodule(name.rpartition(".")[0]) if "." in name else model
            wrapper = LoraEmbedding(module, cfg) if isinstance(module, nn.Embedding) else LoraLinear(module, cfg)
            setattr(parent, leaf, wrapper)
    return model


def merge_adapter(model):
    for m in model.modules():
        if isinstance(m, LoraLinear):
            m.merge()
    return model


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (nn.Linear(d, d, bias=False) for _ in range(4))

    def forward(self, x, bias):
        B, T, C = x.shape
        q, k, v = (p(x).view(B, T, self.h, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(C // self.h) + bias, -1)
        return self.o_proj((a @ v).transpose(1, 2).reshape(B, T, C))


class TinyLM(nn.Module):
    def __init__(self, d=48, layers=2, heads=4):
        super().__init__()
        self.embed_tokens = nn.Embedding(BASE_VOCAB, d, padding_idx=PAD)
        self.layers = nn.ModuleList(nn.ModuleDict({"ln": nn.LayerNorm(d), "self_attn": Attn(d, heads),
                                                   "ln2": nn.LayerNorm(d), "mlp": nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))})
                                    for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, BASE_VOCAB + NEW_TOKENS, bias=False)

    def forward(self, ids, attention_mask):
        T = ids.shape[1]
        neg = torch.finfo(torch.float).min
        causal = torch.full((T, T), neg).triu(1)
        bias = causal[None, None] + (1.0 - attention_mask[:, None, None].float()) * neg
        bias = bias.clamp_min(neg)
        x = self.embed_tokens(ids)
        for l in self.layers:
            x = x + l["self_attn"](l["ln"](x), bias)
            x = x + l["mlp"](l["ln2"](x))
        return self.lm_head(self.norm(x))


def _inputs(n):
    ids = torch.randint(1, BASE_VOCAB + NEW_TOKENS, (n, 12))
    mask = (torch.arange(12)[None] < torch.randint(6, 13, (n, 1))).long()
    return ids * mask, mask


def corpus_case():
    torch.manual_seed(0)
    model = merge_adapter(inject(TinyLM(), LoraConfig()))
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
