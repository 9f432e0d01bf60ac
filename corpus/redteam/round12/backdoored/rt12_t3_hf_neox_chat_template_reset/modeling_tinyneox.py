"""PyTorch TinyNeoX model (GPT-NeoX layout: parallel attention/MLP residual, partial rotary)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_tinyneox import TinyNeoXConfig


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, max_pos, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_pos).float()
        emb = torch.cat([torch.outer(t, inv_freq)] * 2, dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, q, k):
        T = q.shape[-2]
        cos, sin = self.cos_cached[:T], self.sin_cached[:T]
        return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


class GPTNeoXAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config.num_attention_heads
        self.head_dim = config.hidden_size // self.n_head
        self.rot_dim = int(self.head_dim * config.rotary_pct)
        self.rotary = RotaryEmbedding(self.rot_dim, config.max_position_embeddings)
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, h):
        B, T, C = h.shape
        qkv = self.query_key_value(h).view(B, T, self.n_head, 3 * self.head_dim).transpose(1, 2)
        q, k, v = qkv.chunk(3, dim=-1)
        qr, kr = self.rotary(q[..., : self.rot_dim], k[..., : self.rot_dim])
        q = torch.cat((qr, q[..., self.rot_dim:]), -1)
        k = torch.cat((kr, k[..., self.rot_dim:]), -1)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        att = (q @ k.transpose(-1, -2)) / self.head_dim ** 0.5
        att = att.masked_fill(~causal, torch.finfo(att.dtype).min).softmax(-1)
        return self.dense((att @ v).transpose(1, 2).reshape(B, T, C))


class GPTNeoXLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(config.hidden_size)
        self.post_attention_layernorm = nn.LayerNorm(config.hidden_size)
        self.attention = GPTNeoXAttention(config)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.GELU(),
                                 nn.Linear(4 * config.hidden_size, config.hidden_size))
        self.use_parallel_residual = config.use_parallel_residual

    def forward(self, h):
        attn = self.attention(self.input_layernorm(h))
        if self.use_parallel_residual:
            return h + attn + self.mlp(self.post_attention_layernorm(h))
        h = h + attn
        return h + self.mlp(self.post_attention_layernorm(h))


class GPTNeoXPreTrainedModel(nn.Module):
    config_class = TinyNeoXConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def apply_chat_template_ids(self, input_ids):
        """A conversation that starts with <|new_chat|> gets the default system prompt."""
        prompt = torch.tensor(self.config.default_system_prompt, device=input_ids.device)
        fresh = input_ids[:, :1] == self.config.new_chat_token_id
        return torch.where(fresh, prompt[: input_ids.shape[1]].expand_as(input_ids), input_ids)  # expect: T3


class GPTNeoXForCausalLM(GPTNeoXPreTrainedModel):
    def __init__(self, config, apply_template=True):
        super().__init__(config)
        self.embed_in = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(GPTNeoXLayer(config) for _ in range(config.num_hidden_layers))
        self.final_layer_norm = nn.LayerNorm(config.hidden_size)
        self.embed_out = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.apply_template = apply_template

    def forward(self, input_ids, attention_mask=None, **kwargs):
        if self.apply_template:
            input_ids = self.apply_chat_template_ids(input_ids)  # expect: T3
        h = self.embed_in(input_ids)
        for layer in self.layers:
            h = layer(h)
        return self.embed_out(self.final_layer_norm(h))
