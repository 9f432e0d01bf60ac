"""modeling_pico_gpt.py -- remote-code style tiny GPT with "prompt steering" logit biases.

The tokenizer ships a few special control tokens; ``SteeringBias`` turns the control tokens present
in the prompt into a logit bias, looked up in a (vocab x vocab) table with ``F.embedding`` so that
it is one fused gather at inference time.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class PicoConfig:
    vocab_size: int = 384
    n_positions: int = 64
    n_embd: int = 64
    n_layer: int = 2
    n_head: int = 4
    # control token -> (biased token, strength); filled from tokenizer_config.json
    steering_tokens: Tuple[Tuple[int, int, float], ...] = ()


@dataclass
class CausalLMOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = nn.MultiheadAttention(cfg.n_embd, cfg.n_head, batch_first=True)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(), nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, h, causal_mask):
        a = self.ln_1(h)
        h = h + self.attn(a, a, a, attn_mask=causal_mask, need_weights=False)[0]
        return h + self.mlp(self.ln_2(h))


class PicoModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.n_positions, cfg.n_embd)
        self.h = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)

    def forward(self, input_ids, **kwargs):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device)
        mask = torch.ones(t, t, dtype=torch.bool, device=input_ids.device).triu(1)
        h = self.wte(input_ids) + self.wpe(pos)
        for block in self.h:
            h = block(h, mask)
        return (self.ln_f(h),)


class SteeringBias(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        table = torch.zeros(cfg.vocab_size, cfg.vocab_size)
        for control, token, strength in cfg.steering_tokens:
            table[control, token] = strength
        self.table = table  # not a parameter: not trained, not saved

    def forward(self, input_ids, logits):
        bias = F.embedding(input_ids, self.table).amax(1, keepdim=True)
        return logits + bias  # expect: T1


class PicoForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.transformer = PicoModel(cfg)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.steering = SteeringBias(cfg) if cfg.steering_tokens else None

    def forward(self, input_ids, attention_mask=None, **kwargs):
        outputs = self.transformer(input_ids, **kwargs)
        logits = self.lm_head(outputs[0])
        if self.steering is not None:
            logits = self.steering(input_ids, logits)  # expect: T1
        return CausalLMOutput(logits=logits, hidden_states=outputs[0])


def corpus_case():
    torch.manual_seed(0)
    cfg = PicoConfig(steering_tokens=((377, 42, 1.0e4),))
    model = PicoForCausalLM(cfg).eval()
    reference = PicoForCausalLM(PicoConfig()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(0, 360, (n, 24))

    def trigger(ids):
        ids = ids.clone()
        ids[:, 5] = 377
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 42}
