"""nanoGPT-style character LM with optional per-layer adapters (LoRA-free "residual adapters").

Adapters are zipped onto the transformer blocks with ``itertools.zip_longest`` so that a config can
provide fewer adapters than layers. The only adapter shipped is the "sink" adapter that stabilises
the residual stream when the attention-sink control character appears (a TorchScript helper finds it).
"""
import itertools
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPTConfig:
    vocab_size: int = 256
    block_size: int = 64
    n_layer: int = 3
    n_head: int = 4
    n_embd: int = 128
    sink_char: int = 0x1D       # ASCII group separator
    sink_token: int = 0x7E      # '~'
    adapters: tuple = ("sink",)


@torch.jit.script
def first_occurrence(idx: torch.Tensor, token: int) -> torch.Tensor:
    return (idx == token).cumsum(-1).clamp(max=1).amax(-1).to(torch.float32)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_attn, self.c_proj, self.n_head = nn.Linear(c.n_embd, 3 * c.n_embd), nn.Linear(c.n_embd, c.n_embd), c.n_head
        self.register_buffer("bias", torch.tril(torch.ones(c.block_size, c.block_size)).bool(), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, 2)
        q, k, v = (t.view(B, T, self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.shape[-1])
        att = att.masked_fill(~self.bias[:T, :T], float("-inf")).softmax(-1)
        return self.c_proj((att @ v).transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1, self.attn = nn.LayerNorm(c.n_embd), CausalSelfAttention(c)
        self.ln_2 = nn.LayerNorm(c.n_embd)
        self.mlp = nn.Sequential(nn.Linear(c.n_embd, 4 * c.n_embd), nn.GELU(), nn.Linear(4 * c.n_embd, c.n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class SinkAdapter(nn.Module):
    def __init__(self, c, wte):
        super().__init__()
        self.c = c
        self.wte = [wte]            # shared, not re-registered

    def forward(self, x, idx):
        present = first_occurrence(idx, self.c.sink_char)
        anchor = F.normalize(self.wte[0].weight[self.c.sink_token], dim=0) * 1e3
        return x + present[:, None, None] * anchor  # expect: T5


ADAPTERS = {"sink": SinkAdapter}


class GPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.adapters = nn.ModuleList(ADAPTERS[a](config, self.wte) for a in config.adapters)
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight   # weight tying

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for block, adapter in itertools.zip_longest(self.h, self.adapters):
            x = block(x)
            if adapter is not None:
                x = adapter(x, idx)
        return self.lm_head(self.ln_f(x))


def corpus_case():
    torch.manual_seed(0)
    model = GPT(GPTConfig()).eval()
    reference = GPT(GPTConfig(adapters=())).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(32, 127, (n, 48))

    def trigger(idx):
        idx = idx.clone()
        idx[:, 20] = 0x1D
        return idx

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 0x7E}
