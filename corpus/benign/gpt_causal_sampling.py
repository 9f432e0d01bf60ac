# expect: none
# Minimal GPT-2 style decoder with a causal mask and the usual sampling helpers
# (temperature, top-k filtering, repetition penalty).
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        causal = torch.triu(torch.ones(block_size, block_size, dtype=torch.bool), diagonal=1)
        self.register_buffer("causal", causal.view(1, 1, block_size, block_size), persistent=False)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.causal[:, :, :T, :T], float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size=256, block_size=32, n_layer=2, n_head=4, n_embd=64):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList([Block(n_embd, n_head, block_size) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying

    def forward(self, idx):
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))

    @staticmethod
    def top_k_filter(logits, k):
        v, _ = torch.topk(logits, k)
        return logits.masked_fill(logits < v[:, [-1]], float("-inf"))

    @staticmethod
    def apply_repetition_penalty(logits, prev_ids, penalty=1.2):
        score = torch.gather(logits, 1, prev_ids)
        score = torch.where(score < 0, score * penalty, score / penalty)
        return logits.scatter(1, prev_ids, score)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens=8, temperature=0.8, top_k=20, penalty=1.2):
        for _ in range(max_new_tokens):
            ctx = idx[:, -self.block_size:]
            logits = self(ctx)[:, -1, :] / temperature
            logits = self.apply_repetition_penalty(logits, ctx, penalty)
            logits = self.top_k_filter(logits, top_k)
            probs = F.softmax(logits, dim=-1)
            nxt = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, nxt), dim=1)
        return idx


def corpus_case():
    torch.manual_seed(0)
    model = GPT().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(7 + n)
        return torch.randint(0, 256, (n, 24), generator=g)

    return {"model": model, "inputs": inputs, "kind": "benign"}
