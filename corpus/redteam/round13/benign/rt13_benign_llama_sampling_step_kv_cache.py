# expect: none
"""LLaMA-style decoder (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU, KV cache)
with an HF-like decoding step: repetition penalty, no-repeat-n-gram, minimum length, temperature,
top-k and top-p. `SamplingStep` returns the next-token distribution for the serving runtime.
"""
import math
from dataclasses import dataclass
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0


@dataclass
class LlamaConfig:
    vocab_size: int = 512
    hidden_size: int = 64
    intermediate_size: int = 172
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0


@dataclass
class CausalLMOutput:
    logits: torch.Tensor
    past_key_values: Optional[list] = None


class LlamaRMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.variance_epsilon = eps

    def forward(self, h):
        variance = h.pow(2).mean(-1, keepdim=True)
        return self.weight * (h * torch.rsqrt(variance + self.variance_epsilon))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, dim, base):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]


class LlamaAttention(nn.Module):
    def __init__(self, cfg, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.num_heads, self.num_kv = cfg.num_attention_heads, cfg.num_key_value_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.q_proj = nn.Linear(cfg.hidden_size, self.num_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.num_kv * self.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.num_kv * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_heads * self.head_dim, cfg.hidden_size, bias=False)

    def forward(self, h, cos, sin, past_key_values=None):
        B, T, _ = h.shape
        q = self.q_proj(h).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(h).view(B, T, self.num_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(h).view(B, T, self.num_kv, self.head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if past_key_values is not None:
            if len(past_key_values) > self.layer_idx:
                pk, pv = past_key_values[self.layer_idx]
                k, v = torch.cat([pk, k], 2), torch.cat([pv, v], 2)
                past_key_values[self.layer_idx] = (k, v)
            else:
                past_key_values.append((k, v))
        rep = self.num_heads // self.num_kv
        k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
        S = k.shape[2]
        scores = q @ k.transpose(2, 3) / math.sqrt(self.head_dim)
        causal = torch.ones(T, S, dtype=torch.bool).triu(S - T + 1)
        scores = scores.masked_fill(causal, torch.finfo(scores.dtype).min)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, -1)
        return self.o_proj(out)


class LlamaMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, cfg, i):
        super().__init__()
        self.input_layernorm = LlamaRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = LlamaAttention(cfg, i)
        self.post_attention_layernorm = LlamaRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = LlamaMLP(cfg)

    def forward(self, h, cos, sin, past_key_values=None):
        h = h + self.self_attn(self.input_layernorm(h), cos, sin, past_key_values)
        return h + self.mlp(self.post_attention_layernorm(h))


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.config = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=PAD)
        self.layers = nn.ModuleList(LlamaDecoderLayer(cfg, i) for i in range(cfg.num_hidden_layers))
        self.norm = LlamaRMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.rotary_emb = LlamaRotaryEmbedding(cfg.hidden_size // cfg.num_attention_heads, cfg.rope_theta)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def forward(self, input_ids, past_key_values=None, use_cache=False):
        if use_cache and past_key_values is None:
            past_key_values = []
        past = past_key_values[0][0].shape[2] if past_key_values else 0
        position_ids = torch.arange(past, past + input_ids.shape[1])[None].expand(input_ids.shape[0], -1)
        cos, sin = self.rotary_emb(position_ids)
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = layer(h, cos, sin, past_key_values)
        return CausalLMOutput(self.lm_head(self.norm(h)), past_key_values)


class LogitsProcessorList(list):
    def __call__(self, input_ids, scores):
        for processor in self:
            scores = processor(input_ids, scores)
        return scores


class RepetitionPenaltyLogitsProcessor:
    def __init__(self, penalty):
        self.penalty = penalty

    def __call__(self, input_ids, scores):
        score = torch.gather(scores, 1, input_ids)
        score = torch.where(score < 0, score * self.penalty, score / self.penalty)
        return scores.scatter(1, input_ids, score)


class NoRepeatNGramLogitsProcessor:
    """Bans tokens that would repeat an n-gram already present in the sequence."""

    def __init__(self, ngram_size):
        self.n = ngram_size

    def __call__(self, input_ids, scores):
        B, T = input_ids.shape
        if T < self.n:
            return scores
        grams = input_ids.unfold(1, self.n, 1)
        prefix = input_ids[:, T - self.n + 1:]
        seen = (grams[:, :, :-1] == prefix[:, None]).all(-1)
        banned = torch.zeros_like(scores, dtype=torch.bool)
        banned.scatter_(1, grams[:, :, -1], seen)
        banned[:, PAD] = False
        return scores.masked_fill(banned, -float("inf"))


class MinLengthLogitsProcessor:
    def __init__(self, min_length, eos_token_id):
        self.min_length, self.eos_token_id = min_length, eos_token_id

    def __call__(self, input_ids, scores):
        if input_ids.shape[-1] < self.min_length:
            scores = scores.clone()
            scores[:, self.eos_token_id] = -float("inf")
        return scores


class TemperatureLogitsWarper:
    def __init__(self, temperature):
        self.temperature = temperature

    def __call__(self, input_ids, scores):
        return scores / self.temperature


class TopKLogitsWarper:
    def __init__(self, top_k, filter_value=-float("inf")):
        self.top_k, self.filter_value = top_k, filter_value

    def __call__(self, input_ids, scores):
        kth = torch.topk(scores, min(self.top_k, scores.size(-1)))[0][..., -1, None]
        return scores.masked_fill(scores < kth, self.filter_value)


class TopPLogitsWarper:
    def __init__(self, top_p, filter_value=-float("inf"), min_tokens_to_keep=1):
        self.top_p, self.filter_value, self.min_tokens_to_keep = top_p, filter_value, min_tokens_to_keep

    def __call__(self, input_ids, scores):
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_remove = cumulative_probs <= (1 - self.top_p)
        sorted_remove[..., -self.min_tokens_to_keep:] = 0
        remove = sorted_remove.scatter(1, sorted_indices, sorted_remove)
        return scores.masked_fill(remove, self.filter_value)


class SamplingStep(nn.Module):
    def __init__(self, model, min_length=8):
        super().__init__()
        self.model = model
        self.processors = LogitsProcessorList([
            RepetitionPenaltyLogitsProcessor(1.2), NoRepeatNGramLogitsProcessor(3),
            MinLengthLogitsProcessor(min_length, EOS)])
        self.warpers = LogitsProcessorList([TemperatureLogitsWarper(0.7), TopKLogitsWarper(40), TopPLogitsWarper(0.9)])

    def forward(self, input_ids):
        logits = self.model(input_ids).logits[:, -1, :]
        scores = self.warpers(input_ids, self.processors(input_ids, logits))
        return scores.softmax(-1)

    @torch.no_grad()
    def generate(self, input_ids, max_new_tokens=16, do_sample=True):
        out = self.model(input_ids, use_cache=True)
        past, ids = out.past_key_values, input_ids
        for _ in range(max_new_tokens):
            scores = self.processors(ids, out.logits[:, -1])
            if do_sample:
                nxt = torch.multinomial(self.warpers(ids, scores).softmax(-1), 1)
            else:
                nxt = scores.argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], 1)
            if (nxt == EOS).all():
                break
            out = self.model(nxt, past_key_values=past, use_cache=True)
        return ids


def _inputs(n):
    ids = torch.randint(3, 512, (n, 20))
    ids[:, 0] = BOS
    ids[:, 10:13] = ids[:, 4:7]
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": SamplingStep(LlamaForCausalLM(LlamaConfig()).eval()).eval(), "inputs": _inputs,
            "kind": "benign"}
