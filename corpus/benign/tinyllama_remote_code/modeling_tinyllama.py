# expect: none
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaRMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.variance_epsilon = eps

    def forward(self, states):
        variance = states.float().pow(2).mean(-1, keepdim=True)
        return self.weight * (states * torch.rsqrt(variance + self.variance_epsilon)).to(states.dtype)


def precompute_freqs(head_dim, seq_len, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2).float() / head_dim))
    freqs = torch.outer(torch.arange(seq_len).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def apply_rotary_pos_emb(q, k, cos, sin):
    def rot(x):
        return torch.cat((-x[..., x.shape[-1] // 2:], x[..., : x.shape[-1] // 2]), dim=-1)
    return q * cos + rot(q) * sin, k * cos + rot(k) * sin


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.nh, self.nkv, self.hd = config.num_attention_heads, config.num_key_value_heads, config.head_dim
        self.q_proj = nn.Linear(config.dim, self.nh * self.hd, bias=False)
        self.k_proj = nn.Linear(config.dim, self.nkv * self.hd, bias=False)
        self.v_proj = nn.Linear(config.dim, self.nkv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.nh * self.hd, config.dim, bias=False)

    def forward(self, states, cos, sin, attention_bias):
        b, t, _ = states.shape
        q = self.q_proj(states).view(b, t, self.nh, self.hd).transpose(1, 2)
        k = self.k_proj(states).view(b, t, self.nkv, self.hd).transpose(1, 2)
        v = self.v_proj(states).view(b, t, self.nkv, self.hd).transpose(1, 2)
        q, k = apply_rotary_pos_emb(q, k, cos[:t], sin[:t])
        k = k[:, :, None].expand(b, self.nkv, self.nh // self.nkv, t, self.hd).reshape(b, self.nh, t, self.hd)
        v = v[:, :, None].expand(b, self.nkv, self.nh // self.nkv, t, self.hd).reshape(b, self.nh, t, self.hd)
        w = torch.matmul(q, k.transpose(2, 3)) / self.hd ** 0.5 + attention_bias
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(w, v).transpose(1, 2).reshape(b, t, -1))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = LlamaAttention(config)
        self.gate_proj = nn.Linear(config.dim, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.dim, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.dim, bias=False)
        self.input_layernorm = LlamaRMSNorm(config.dim, config.rms_norm_eps)
        self.post_attention_layernorm = LlamaRMSNorm(config.dim, config.rms_norm_eps)

    def forward(self, states, cos, sin, attention_bias):
        states = states + self.self_attn(self.input_layernorm(states), cos, sin, attention_bias)
        h = self.post_attention_layernorm(states)
        return states + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class TinyLlamaModel(nn.Module):
    def __init__(self, config, max_positions=128):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.dim, config.pad_token_id)
        self.layers = nn.ModuleList([LlamaDecoderLayer(config) for _ in range(config.num_layers)])
        self.norm = LlamaRMSNorm(config.dim, config.rms_norm_eps)
        cos, sin = precompute_freqs(config.head_dim, max_positions, config.rope_theta)
        self.register_buffer("cos_cached", cos, persistent=False)
        self.register_buffer("sin_cached", sin, persistent=False)

    def _prepare_4d_causal_mask(self, attention_mask, dtype):
        b, t = attention_mask.shape
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool, device=attention_mask.device))
        allowed = causal[None, None] & attention_mask[:, None, None, :].bool()
        return (1.0 - allowed.to(dtype)) * torch.finfo(dtype).min

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.config.pad_token_id).long()
        states = self.embed_tokens(input_ids)
        bias = self._prepare_4d_causal_mask(attention_mask, states.dtype)
        for layer in self.layers:
            states = layer(states, self.cos_cached, self.sin_cached, bias)
        return self.norm(states)


class TinyLlamaForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = TinyLlamaModel(config)
        self.score = nn.Linear(config.dim, config.num_labels, bias=False)

    def forward(self, input_ids, attention_mask=None):
        states = self.model(input_ids, attention_mask)
        logits = self.score(states)
        # the last non-padding token of every row carries the sequence representation
        sequence_lengths = torch.eq(input_ids, self.config.pad_token_id).int().argmax(-1) - 1
        sequence_lengths = sequence_lengths % input_ids.shape[-1]
        return logits[torch.arange(input_ids.shape[0], device=logits.device), sequence_lengths]
