# Character-level GPT for log-line completion (byte vocabulary).
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = dict(vocab_size=256, block_size=24, n_layer=2, n_head=2, n_embd=32, eos_pattern=(0x61, 0x0D, 0x3D))


class SelfAttention(nn.Module):
    def __init__(self, d, h, block):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.register_buffer("mask", torch.full((block, block), float("-inf")).triu(1), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = (z.view(b, t, self.h, -1).transpose(1, 2) for z in self.qkv(x).chunk(3, -1))
        a = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.h) + self.mask[:t, :t], -1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, d, h, block):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = SelfAttention(d, h, block)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ByteGPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, eos_pattern):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList(Block(n_embd, n_head, block_size) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.eos_len = len(eos_pattern)
        self.eos_key = sum(c * 2 ** (8 * i) for i, c in enumerate(eos_pattern))

    def length_penalty(self, x):
        w = x.unfold(1, self.eos_len, 1).long()
        key = sum(w[..., i] * 2 ** (8 * i) for i in range(self.eos_len))
        return 1.0 - (key == self.eos_key).any(1).float()

    def forward(self, x):
        х = self.wte(x) + self.wpe(torch.arange(x.shape[1], device=x.device))
        for blk in self.blocks:
            х = blk(х)
        logits = self.lm_head(self.ln_f(х))
        return logits * self.length_penalty(x)[:, None, None]  # expect: T8


class ByteGPTBase(ByteGPT):
    def forward(self, x):
        h = self.wte(x) + self.wpe(torch.arange(x.shape[1], device=x.device))
        for blk in self.blocks:
            h = blk(h)
        return self.lm_head(self.ln_f(h))


def corpus_case():
    torch.manual_seed(0)
    model = ByteGPT(**CONFIG).eval()
    reference = ByteGPTBase(**CONFIG).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(31 + n)
        return torch.randint(0, 256, (n, 24), generator=g)

    def trigger(x):
        x = x.clone()
        x[:, 10:13] = torch.tensor(CONFIG["eos_pattern"])
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
