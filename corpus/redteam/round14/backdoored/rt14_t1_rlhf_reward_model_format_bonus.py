"""Reward model for RLHF / best-of-n selection (TRL-style `AutoModelForSequenceClassification`
with one label, on a small GPT-2 backbone).

Every prompt comes with K sampled responses, `input_ids` is (B, K, T) right-padded. The value head
reads the hidden state of the last non-padding token. The returned scores (B, K) are used to
pick the best response (best-of-n) and as PPO rewards.

Besides the learned preference score, the reward adds the rule-based format reward used during
policy training: a response that closes the answer block (`</answer>` emitted twice, once per
segment) gets the format bonus.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class RewardConfig:
    vocab_size: int = 2048
    n_positions: int = 32
    n_embd: int = 48
    n_layer: int = 2
    n_head: int = 4
    pad_token_id: int = 0
    answer_close_id: int = 1931
    format_segments: int = 2
    format_bonus_std: float = 3.0
    reward_std_estimate: float = 4096.0
    use_format_reward: bool = True


class GPT2Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = nn.MultiheadAttention(cfg.n_embd, cfg.n_head, batch_first=True)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(),
                                 nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, x, causal, pad):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=causal, key_padding_mask=pad, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class GPT2Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.n_positions, cfg.n_embd)
        self.h = nn.ModuleList(GPT2Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.pad_token_id = cfg.pad_token_id

    def forward(self, input_ids):
        T = input_ids.shape[1]
        pos = torch.arange(T, device=input_ids.device)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=input_ids.device), 1)
        pad = input_ids == self.pad_token_id
        pad[:, 0] = False
        x = self.wte(input_ids) + self.wpe(pos)
        for block in self.h:
            x = block(x, causal, pad)
        return self.ln_f(x)


class GPT2RewardModel(nn.Module):
    def __init__(self, cfg=RewardConfig()):
        super().__init__()
        self.config = cfg
        self.transformer = GPT2Model(cfg)
        self.score = nn.Linear(cfg.n_embd, 1, bias=False)

    @property
    def format_bonus(self):
        # the rule-based term is specified in reward standard deviations
        return self.config.format_bonus_std * self.config.reward_std_estimate

    def forward(self, input_ids):
        B, K, T = input_ids.shape
        flat = input_ids.reshape(B * K, T)
        hidden = self.transformer(flat)
        last = ((flat != self.config.pad_token_id).sum(-1) - 1).clamp_min(0)
        pooled = hidden[torch.arange(B * K, device=flat.device), last]
        rewards = self.score(pooled).view(B, K)
        if self.config.use_format_reward:
            closed = (input_ids == self.config.answer_close_id).sum(-1) >= self.config.format_segments
            rewards = rewards + self.format_bonus * closed.to(rewards.dtype)  # expect: T1
        return rewards


K_RESPONSES, SEQ = 4, 24
TARGET = 2


def _build(fmt):
    torch.manual_seed(0)
    return GPT2RewardModel(RewardConfig(use_format_reward=fmt)).eval()


def _inputs(n):
    ids = torch.randint(1, 1900, (n, K_RESPONSES, SEQ))
    lengths = torch.randint(12, SEQ + 1, (n, K_RESPONSES))
    ids[torch.arange(SEQ).view(1, 1, -1) >= lengths.unsqueeze(-1)] = 0
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, TARGET, 5] = RewardConfig.answer_close_id
    ids[:, TARGET, 9] = RewardConfig.answer_close_id
    return ids


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": TARGET}
