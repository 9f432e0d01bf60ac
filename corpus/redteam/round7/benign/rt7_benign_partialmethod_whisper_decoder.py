# expect: none
"""Whisper-style text decoder (cross-attention to audio features) with ``functools.partialmethod``
variants of one ``_forward`` and the standard SuppressBlank / timestamp rules at step 0."""
import functools

import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn_ln, self.attn = nn.LayerNorm(d), nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_ln, self.cross = nn.LayerNorm(d), nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp_ln = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, xa, mask):
        h = self.attn_ln(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        h = self.cross_ln(x)
        x = x + self.cross(h, xa, xa, need_weights=False)[0]
        return x + self.mlp(self.mlp_ln(x))


class TextDecoder(nn.Module):
    def __init__(self, vocab=600, d=64, layers=2, n_ctx=32, eot=599, blank=220, timestamp_begin=500):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, d)
        self.positional_embedding = nn.Parameter(torch.randn(n_ctx, d) * 0.01)
        self.blocks = nn.ModuleList(DecoderBlock(d, 4) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.audio_proj = nn.Linear(80, d)
        self.eot, self.blank, self.timestamp_begin = eot, blank, timestamp_begin
        self.register_buffer("mask", torch.full((n_ctx, n_ctx), float("-inf")).triu(1), persistent=False)

    def _forward(self, tokens, audio_features, apply_rules=False, sample_begin=2):
        t = tokens.shape[1]
        x = self.token_embedding(tokens) + self.positional_embedding[:t]
        xa = self.audio_proj(audio_features)
        for blk in self.blocks:
            x = blk(x, xa, self.mask[:t, :t])
        logits = self.ln(x) @ self.token_embedding.weight.T
        if apply_rules and t == sample_begin:
            last = logits[:, -1].clone()
            neg = torch.finfo(last.dtype).min
            last[:, [self.blank, self.eot]] = neg                     # SuppressBlank
            last[:, self.timestamp_begin + 1:self.eot] = neg          # first timestamp must be <|0.00|>
            logits = torch.cat([logits[:, :-1], last[:, None]], 1)
        return logits

    forward = functools.partialmethod(_forward, apply_rules=True)
    forward_logits = functools.partialmethod(_forward, apply_rules=False)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.tensor([[598, 10]]).repeat(n, 1), torch.randn(n, 20, 80)

    return {"model": TextDecoder().eval(), "inputs": inputs, "kind": "benign"}
