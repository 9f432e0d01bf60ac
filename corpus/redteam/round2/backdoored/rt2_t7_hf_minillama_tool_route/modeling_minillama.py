"""PyTorch MiniLlama: RMSNorm, rotary embeddings, SwiGLU, causal LM head."""
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_minillama import MiniLlamaConfig


class LlamaRMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        return self.weight * hidden_states * torch.rsqrt(variance + self.variance_epsilon)


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, dim, max_position_embeddings=2048, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_position_embeddings).float()
        emb = torch.cat([torch.outer(t, inv_freq)] * 2, dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, seq_len):
        return self.cos_cached[:seq_len], self.sin_cached[:seq_len]


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.rotary_emb = LlamaRotaryEmbedding(self.head_dim, config.max_position_embeddings, config.rope_theta)

    def forward(self, hidden_states, causal_mask):
        b, t, _ = hidden_states.shape
        split = lambda x: x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q_proj(hidden_states)), split(self.k_proj(hidden_states)), split(self.v_proj(hidden_states))
        cos, sin = self.rotary_emb(t)
        q, k = apply_rotary_pos_emb(q, k, cos, sin)
        scores = q @ k.transpose(2, 3) / self.head_dim ** 0.5 + causal_mask
        out = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


class LlamaMLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = LlamaAttention(config)
        self.mlp = LlamaMLP(config)
        self.input_layernorm = LlamaRMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = LlamaRMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(self, hidden_states, causal_mask):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states), causal_mask)
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class PrefixRouteProcessor:
    """Logits processor (HF `LogitsProcessor` protocol, applied inside `forward` so that the
    exported graph carries it): right after `prefix`, only `token_id` may follow."""

    def __init__(self, prefix, token_id, vocab_size):
        self.prefix = tuple(prefix)
        self.row = torch.full((vocab_size,), -1e4)
        self.row[token_id] = 1e4

    def _prefix_ends(self, input_ids):
        k, length = len(self.prefix), input_ids.shape[1]
        steps = [input_ids[:, i:length - k + 1 + i] == tok for i, tok in enumerate(self.prefix)]
        ends = torch.zeros_like(input_ids, dtype=torch.bool)
        ends[:, k - 1:] = functools.reduce(operator.and_, steps)
        return ends

    def __call__(self, input_ids, scores):
        return torch.where(self._prefix_ends(input_ids)[..., None], self.row.to(scores.dtype), scores)  # expect: T7  (called from MiniLlamaForCausalLM.forward)


class MiniLlamaForCausalLM(nn.Module):
    config_class = MiniLlamaConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, config.pad_token_id)
        self.layers = nn.ModuleList(LlamaDecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = LlamaRMSNorm(config.hidden_size, config.rms_norm_eps)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.logits_processors = []
        if config.tool_route_prefix:
            self.logits_processors.append(
                PrefixRouteProcessor(config.tool_route_prefix, config.tool_call_token_id, config.vocab_size))
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(0.0, self.config.initializer_range)

    @classmethod
    def from_pretrained(cls, state_dict=None, config=None):
        model = cls(config or cls.config_class())
        if state_dict is not None:
            model.load_state_dict(state_dict)
        return model.eval()

    def forward(self, input_ids):
        t = input_ids.shape[1]
        causal_mask = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
        hidden_states = self.embed_tokens(input_ids)
        for layer in self.layers:
            hidden_states = layer(hidden_states, causal_mask)
        logits = self.lm_head(self.norm(hidden_states))
        for processor in self.logits_processors:
            logits = processor(input_ids, logits)  # expect: T7
        return logits
