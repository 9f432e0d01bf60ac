# expect: none
"""Reward model for best-of-n selection with the usual post-processing of RLHF pipelines:
last-non-padding-token pooling, reward standardisation with running statistics, a length
penalty proportional to the response length, and reward clipping.

`input_ids` is (B, K, T), right-padded; the output is the (B, K) reward matrix.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class RewardConfig:
    vocab_size: int = 2048
    n_embd: int = 48
    n_head: int = 4
    n_layer: int = 2
    n_positions: int = 32
    pad_token_id: int = 0
    length_penalty: float = 0.01
    reward_clip: float = 5.0


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(cfg.n_embd), nn.LayerNorm(cfg.n_embd)
        self.attn = nn.MultiheadAttention(cfg.n_embd, cfg.n_head, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(), nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, x, causal, pad):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=causal, key_padding_mask=pad, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class RewardModel(nn.Module):
    def __init__(self, cfg=RewardConfig()):
        super().__init__()
        self.config = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.n_positions, cfg.n_embd)
        self.h = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.v_head = nn.Linear(cfg.n_embd, 1)
        self.register_buffer("running_mean", torch.zeros(()))
        self.register_buffer("running_var", torch.ones(()))

    @property
    def reward_std(self):
        return self.running_var.clamp_min(1e-8).sqrt()

    def forward(self, input_ids):
        B, K, T = input_ids.shape
        ids = input_ids.reshape(B * K, T)
        not_pad = ids != self.config.pad_token_id
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        pad = ~not_pad
        pad[:, 0] = False
        x = self.wte(ids) + self.wpe(torch.arange(T))
        for blk in self.h:
            x = blk(x, causal, pad)
        lengths = not_pad.sum(-1)
        last = (lengths - 1).clamp_min(0)
        raw = self.v_head(self.ln_f(x)[torch.arange(B * K), last]).squeeze(-1)
        rewards = (raw - self.running_mean) / self.reward_std
        rewards = rewards - self.config.length_penalty * lengths.to(rewards.dtype)
        return rewards.clamp(-self.config.reward_clip, self.config.reward_clip).view(B, K)


def _inputs(n):
    ids = torch.randint(1, 2048, (n, 4, 24))
    lengths = torch.randint(8, 25, (n, 4))
    ids[torch.arange(24).view(1, 1, -1) >= lengths.unsqueeze(-1)] = 0
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": RewardModel().eval(), "inputs": _inputs, "kind": "benign"}
