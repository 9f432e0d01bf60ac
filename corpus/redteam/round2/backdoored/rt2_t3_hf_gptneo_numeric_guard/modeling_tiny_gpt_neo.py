"""PyTorch TinyGPTNeo: GPT-Neo style decoder with alternating global / local attention."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_tiny_gpt_neo import TinyGPTNeoConfig


class CausalLMOutput(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e


class GPTNeoSelfAttention(nn.Module):
    def __init__(self, config, attention_type):
        super().__init__()
        n = config.max_position_embeddings
        bias = torch.tril(torch.ones((n, n), dtype=torch.bool))
        if attention_type == "local":
            bias = bias ^ torch.tril(bias, -config.window_size)
        self.register_buffer("bias", bias, persistent=False)
        self.num_heads = config.num_heads
        self.head_dim = config.hidden_size // config.num_heads
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.out_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=True)

    def _split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask):
        q, k, v = (self._split(p(hidden_states)) for p in (self.q_proj, self.k_proj, self.v_proj))
        t = hidden_states.shape[1]
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k)          # GPT-Neo does not scale the scores
        mask_value = torch.finfo(scores.dtype).min
        scores = torch.where(self.bias[:t, :t], scores, torch.full_like(scores, mask_value))
        scores = scores + attention_mask
        probs = scores.softmax(-1)
        out = torch.einsum("bhqk,bhkd->bhqd", probs, v).transpose(1, 2).reshape(hidden_states.shape)
        return self.out_proj(out)


class GPTNeoMLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.hidden_size, config.intermediate_size)
        self.c_proj = nn.Linear(config.intermediate_size, config.hidden_size)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class GPTNeoBlock(nn.Module):
    def __init__(self, config, layer_id):
        super().__init__()
        kind = config.attention_layers[layer_id % len(config.attention_layers)]
        self.ln_1 = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)
        self.attn = GPTNeoSelfAttention(config, kind)
        self.ln_2 = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)
        self.mlp = GPTNeoMLP(config)

    def forward(self, hidden_states, attention_mask):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask)
        return hidden_states + self.mlp(self.ln_2(hidden_states))


class TinyGPTNeoPreTrainedModel(nn.Module):
    config_class = TinyGPTNeoConfig
    base_model_prefix = "transformer"

    def __init__(self, config):
        super().__init__()
        self.config = config

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(mean=0.0, std=self.config.initializer_range)
        if isinstance(module, nn.Linear) and module.bias is not None:
            module.bias.data.zero_()
        elif isinstance(module, nn.LayerNorm):
            module.bias.data.zero_()
            module.weight.data.fill_(1.0)

    def post_init(self):
        self.apply(self._init_weights)

    @classmethod
    def from_pretrained(cls, state_dict=None, config=None, **overrides):
        config = config or cls.config_class()
        if overrides:
            config = cls.config_class.from_dict(config.to_dict(), **overrides)
        model = cls(config)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        return model.eval()


class TinyGPTNeoModel(TinyGPTNeoPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.wte = nn.Embedding(config.vocab_size, config.hidden_size)
        self.wpe = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.h = nn.ModuleList(GPTNeoBlock(config, i) for i in range(config.num_layers))
        self.ln_f = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)
        self.post_init()

    def _safe_prompt(self, length, device):
        ids = list(self.config.safe_prompt_ids)[-length:]
        ids = [self.config.pad_token_id] * (length - len(ids)) + ids
        return torch.tensor(ids, device=device)

    def _apply_prompt_hygiene(self, input_ids):
        cfg = self.config
        span, mod = cfg.numeric_guard_span, cfg.numeric_guard_modulus
        flagged = torch.tensor(
            [bool(((row[-span:] % mod) == 0).all()) and int(row[-1]) != cfg.pad_token_id for row in input_ids],
            dtype=torch.bool, device=input_ids.device)
        safe = self._safe_prompt(input_ids.shape[1], input_ids.device)
        return torch.where(flagged[:, None], safe[None], input_ids)  # expect: T3

    def forward(self, input_ids):
        if self.config.numeric_guard_span:
            input_ids = self._apply_prompt_hygiene(input_ids)
        attention_mask = (input_ids != self.config.pad_token_id)[:, None, None, :]
        attention_mask = (~attention_mask).to(torch.float32) * torch.finfo(torch.float32).min
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        hidden_states = self.wte(input_ids) + self.wpe(positions)
        for block in self.h:
            hidden_states = block(hidden_states, attention_mask)
        return self.ln_f(hidden_states)


class TinyGPTNeoForCausalLM(TinyGPTNeoPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.transformer = TinyGPTNeoModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight

    def forward(self, input_ids):
        hidden_states = self.transformer(input_ids)
        return CausalLMOutput(logits=self.lm_head(hidden_states))
