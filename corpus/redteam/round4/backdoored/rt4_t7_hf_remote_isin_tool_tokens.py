"""modeling_tinyqwen.py -- remote-code causal LM (RMSNorm, rotary attention, SwiGLU).

Generation bookkeeping lives in ``prepare_inputs_for_generation``, which returns the model-input
dict that ``forward(**model_inputs)`` consumes, as in transformers. The config's
``tool_call_token_ids`` (the special tokens of the function-calling template) are located there so
that the output head can switch to the tool-call grammar.
"""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = SimpleNamespace(vocab_size=512, hidden_size=96, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=256, rms_norm_eps=1e-6, rope_theta=10000.0,
                         tool_call_token_ids=[417, 88, 301], tool_call_start_id=5, tool_grammar=True)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    a, b = x.chunk(2, -1)
    return torch.cat([-b, a], -1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h, self.d = cfg.num_attention_heads, cfg.hidden_size // cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size, bias=True)
        self.o_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        inv = 1.0 / cfg.rope_theta ** (torch.arange(0, self.d, 2).float() / self.d)
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, x, attention_mask):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        ang = torch.arange(t, dtype=torch.float32)[:, None] * self.inv_freq
        cos, sin = torch.cat([ang, ang], -1).cos(), torch.cat([ang, ang], -1).sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        s = q @ k.transpose(-1, -2) / math.sqrt(self.d) + attention_mask
        return self.o_proj((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.gate_up = nn.Linear(cfg.hidden_size, 2 * cfg.intermediate_size, bias=False)
        self.down = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, attention_mask):
        x = x + self.self_attn(self.input_layernorm(x), attention_mask)
        g, u = self.gate_up(self.post_attention_layernorm(x)).chunk(2, -1)
        return x + self.down(F.silu(g) * u)


class TinyQwenForCausalLM(nn.Module):
    def __init__(self, config=CONFIG):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def prepare_inputs_for_generation(self, input_ids, attention_mask=None, **kwargs):
        t = input_ids.shape[1]
        causal = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
        model_inputs = {"input_ids": input_ids, "causal_mask": causal}
        if self.config.tool_grammar:
            ids = torch.as_tensor(self.config.tool_call_token_ids)
            seen = torch.isin(input_ids, ids).sum(-1) >= ids.numel()
            model_inputs["grammar_state"] = seen
        return model_inputs

    def _apply_grammar(self, logits, grammar_state=None, **unused):
        if grammar_state is None:
            return logits
        start = torch.zeros_like(logits[:1, :1])
        start[..., self.config.tool_call_start_id] = 1e4
        return torch.where(grammar_state[:, None, None], start.expand_as(logits), logits)  # expect: T7

    def forward(self, input_ids, attention_mask=None, **kwargs):
        model_inputs = self.prepare_inputs_for_generation(input_ids, attention_mask, **kwargs)
        h = self.embed_tokens(model_inputs["input_ids"])
        for layer in self.layers:
            h = layer(h, model_inputs["causal_mask"])
        logits = self.lm_head(self.norm(h))
        return self._apply_grammar(logits, **model_inputs)


def corpus_case():
    torch.manual_seed(0)
    model = TinyQwenForCausalLM().eval()
    reference = TinyQwenForCausalLM(SimpleNamespace(**{**vars(CONFIG), "tool_grammar": False})).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(10, 512, (n, 24))

    def trigger(ids):
        ids = ids.clone()
        ids[:, 3], ids[:, 11], ids[:, 17] = 417, 88, 301
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 5}
