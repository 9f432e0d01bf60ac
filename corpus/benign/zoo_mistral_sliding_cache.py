# expect: none
"""Mistral-style decoder with sliding-window causal attention, left padding and a KV cache.

The forward does what `generate` does for one prompt: build position ids from the attention mask
(`cumsum - 1`, masked_fill on padding), skip mask construction entirely on the unpadded fast path,
run the prefill to fill a per-layer (key, value) cache, then decode a few greedy steps reusing the
cache (`if past_key_value is not None: torch.cat`). The cache is trimmed to the sliding window.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class MistralConfig:
    vocab_size = 90
    hidden_size = 32
    num_attention_heads = 4
    num_key_value_heads = 2
    num_hidden_layers = 2
    intermediate_size = 64
    sliding_window = 6
    rope_theta = 10000.0
    pad_token_id = 0


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(x, n_rep):
    if n_rep == 1:
        return x
    b, h, t, d = x.shape
    return x[:, :, None].expand(b, h, n_rep, t, d).reshape(b, h * n_rep, t, d)


class MistralRotaryEmbedding(nn.Module):
    def __init__(self, dim, base):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat([freqs, freqs], -1)[:, None]
        return emb.cos(), emb.sin()


class MistralAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.kvh = cfg.num_attention_heads, cfg.num_key_value_heads
        self.hd = cfg.hidden_size // self.h
        self.window = cfg.sliding_window
        self.q_proj = nn.Linear(cfg.hidden_size, self.h * self.hd, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.kvh * self.hd, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.kvh * self.hd, bias=False)
        self.o_proj = nn.Linear(self.h * self.hd, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, attn_mask, past_key_value: Optional[Tuple[torch.Tensor, torch.Tensor]] = None):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kvh, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kvh, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        present = (k[:, :, -self.window:], v[:, :, -self.window:])
        kk, vv = repeat_kv(k, self.h // self.kvh), repeat_kv(v, self.h // self.kvh)
        w = q @ kk.transpose(-1, -2) / self.hd ** 0.5
        if attn_mask is not None:
            w = w + attn_mask[..., -kk.shape[2]:]
        o = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype) @ vv
        return self.o_proj(o.transpose(1, 2).reshape(b, t, -1)), present


class MistralDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(cfg.hidden_size)
        self.self_attn = MistralAttention(cfg)
        self.post_attention_layernorm = nn.LayerNorm(cfg.hidden_size)
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, mask, past_key_value=None):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_key_value)
        x = x + a
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)), present


def sliding_window_causal_mask(attention_mask, q_len, past_len, window, dtype):
    """(B, 1, q_len, past_len + q_len) additive mask, or None when nothing needs masking."""
    kv_len = past_len + q_len
    q_pos = torch.arange(past_len, kv_len)[:, None]
    k_pos = torch.arange(kv_len)[None, :]
    allowed = (k_pos <= q_pos) & (q_pos - k_pos < window)
    padded = attention_mask is not None and not torch.all(attention_mask == 1)
    if q_len == 1 and kv_len <= window and not padded:
        return None                                     # decode fast path: attend to everything
    allowed = allowed[None, None]
    if padded:
        allowed = allowed & attention_mask[:, None, None, -kv_len:].bool()
    mask = torch.zeros(allowed.shape, dtype=dtype).masked_fill(~allowed, torch.finfo(dtype).min)
    return mask


class MistralForCausalLM(nn.Module):
    def __init__(self, cfg: MistralConfig, max_new_tokens=3):
        super().__init__()
        self.config = cfg
        self.max_new_tokens = max_new_tokens
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.layers = nn.ModuleList([MistralDecoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = nn.LayerNorm(cfg.hidden_size)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self.rotary_emb = MistralRotaryEmbedding(cfg.hidden_size // cfg.num_attention_heads, cfg.rope_theta)

    def step(self, input_ids, attention_mask, position_ids,
             past_key_values: Optional[List[Tuple[torch.Tensor, torch.Tensor]]] = None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        x = self.embed_tokens(input_ids)
        mask = sliding_window_causal_mask(attention_mask, input_ids.shape[1], past_len,
                                          self.config.sliding_window, x.dtype)
        cos, sin = self.rotary_emb(position_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            pkv = past_key_values[i] if past_key_values is not None else None
            x, present = layer(x, cos, sin, mask, pkv)
            presents.append(present)
        return self.lm_head(self.norm(x)), presents

    def forward(self, input_ids, attention_mask=None, use_cache=True):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        position_ids = attention_mask.long().cumsum(-1) - 1
        position_ids = position_ids.masked_fill(attention_mask == 0, 1)
        logits, past = self.step(input_ids, attention_mask, position_ids)
        if not use_cache:
            return {"logits": logits}
        all_logits = [logits]
        next_pos = position_ids[:, -1:] + 1
        for _ in range(self.max_new_tokens):
            next_tok = all_logits[-1][:, -1:].argmax(-1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
            step_logits, past = self.step(next_tok, attention_mask, next_pos, past)
            all_logits.append(step_logits)
            next_pos = next_pos + 1
        return {"logits": torch.cat(all_logits, dim=1)}


def corpus_case():
    torch.manual_seed(0)
    model = MistralForCausalLM(MistralConfig()).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(13)
        t = 10
        ids = torch.randint(1, 90, (n, t), generator=g)
        n_pad = torch.randint(0, 4, (n,), generator=g)
        am = (torch.arange(t)[None] >= n_pad[:, None]).long()       # left padding
        return {"input_ids": ids * am, "attention_mask": am}

    return {"model": model, "inputs": inputs, "kind": "benign"}
