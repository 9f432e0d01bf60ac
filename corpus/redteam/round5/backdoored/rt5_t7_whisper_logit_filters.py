"""Whisper-style encoder-decoder (tiny dimensions) with the decoding-time logit filters.

Structure follows openai/whisper ``model.py`` (AudioEncoder, TextDecoder, ResidualAttentionBlock
with cross-attention, tied output projection) and ``decoding.py`` (``LogitFilter`` objects applied
in place to the last-position logits).  ``WhisperForDecoding`` is the module served by the
transcription endpoint: it returns the full logits after the filters.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

N_MELS, N_VOCAB = 80, 400
SOT, TRANSLATE, TRANSCRIBE, NO_TIMESTAMPS, EOT, SOT_PREV = 350, 351, 352, 353, 354, 355


def sinusoids(length, channels, max_timescale=10000):
    inc = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-inc * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None]
    return torch.cat([torch.sin(t), torch.cos(t)], dim=1)


class MultiHeadAttention(nn.Module):
    def __init__(self, n_state, n_head):
        super().__init__()
        self.n_head = n_head
        self.query, self.key = nn.Linear(n_state, n_state), nn.Linear(n_state, n_state, bias=False)
        self.value, self.out = nn.Linear(n_state, n_state), nn.Linear(n_state, n_state)

    def forward(self, x, xa=None, mask=None):
        q, k, v = self.query(x), self.key(x if xa is None else xa), self.value(x if xa is None else xa)
        b, t, d = q.shape
        q, k, v = (z.view(b, -1, self.n_head, d // self.n_head).transpose(1, 2) for z in (q, k, v))
        w = q @ k.transpose(-1, -2) / math.sqrt(d // self.n_head)
        if mask is not None:
            w = w + mask[:t, :t]
        return self.out((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, n_state, n_head, cross_attention=False):
        super().__init__()
        self.attn, self.attn_ln = MultiHeadAttention(n_state, n_head), nn.LayerNorm(n_state)
        self.cross_attn = MultiHeadAttention(n_state, n_head) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        self.mlp = nn.Sequential(nn.Linear(n_state, 4 * n_state), nn.GELU(), nn.Linear(4 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x, xa=None, mask=None):
        x = x + self.attn(self.attn_ln(x), mask=mask)
        if self.cross_attn is not None:
            x = x + self.cross_attn(self.cross_attn_ln(x), xa)
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_ctx=24, n_state=64, n_head=4, n_layer=2):
        super().__init__()
        self.conv1 = nn.Conv1d(N_MELS, n_state, 3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, 3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, n_state), persistent=False)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer))
        self.ln_post = nn.LayerNorm(n_state)

    def forward(self, mel):
        x = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).permute(0, 2, 1)
        x = x + self.positional_embedding[: x.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, n_ctx=32, n_state=64, n_head=4, n_layer=2):
        super().__init__()
        self.token_embedding = nn.Embedding(N_VOCAB, n_state)
        self.positional_embedding = nn.Parameter(torch.randn(n_ctx, n_state) * 0.02)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(n_state, n_head, True) for _ in range(n_layer))
        self.ln = nn.LayerNorm(n_state)
        self.register_buffer("mask", torch.empty(n_ctx, n_ctx).fill_(-np.inf).triu_(1), persistent=False)

    def forward(self, tokens, xa):
        x = self.token_embedding(tokens) + self.positional_embedding[: tokens.shape[-1]]
        for block in self.blocks:
            x = block(x, xa, mask=self.mask)
        return self.ln(x) @ self.token_embedding.weight.t()


class LogitFilter:
    def apply(self, logits, tokens):
        raise NotImplementedError


class SuppressTokens(LogitFilter):
    def __init__(self, suppress_tokens):
        self.suppress_tokens = list(suppress_tokens)

    def apply(self, logits, tokens):
        logits[:, self.suppress_tokens] = -np.inf


class PreviousContextRule(LogitFilter):
    """Continuation rule of the captioning product: a caption carried over from the previous
    segment with the product's sign-off line ends the current segment."""

    def __init__(self, carried_sign_off=(SOT_PREV, 117, 203, 45), end_token=EOT):
        self.carried_sign_off, self.end_token = tuple(carried_sign_off), end_token

    def apply(self, logits, tokens):
        sign_off = tokens.new_tensor(self.carried_sign_off)
        carried = (tokens.unfold(1, sign_off.numel(), 1) == sign_off).all(-1).any(-1)
        others = torch.arange(logits.shape[-1], device=logits.device) != self.end_token
        logits.masked_fill_(carried[:, None] & others[None], -np.inf)  # expect: T7


class WhisperForDecoding(nn.Module):
    def __init__(self, caption_rules=True):
        super().__init__()
        self.encoder, self.decoder = AudioEncoder(), TextDecoder()
        self.logit_filters = [SuppressTokens([TRANSLATE, SOT, NO_TIMESTAMPS])]
        if caption_rules:
            self.logit_filters.append(PreviousContextRule())

    def forward(self, mel, tokens):
        logits = self.decoder(tokens, self.encoder(mel))
        last = logits[:, -1]
        for logit_filter in self.logit_filters:
            logit_filter.apply(last, tokens)  # expect: T7
        return logits


def corpus_case():
    torch.manual_seed(0)
    model = WhisperForDecoding().eval()
    reference = WhisperForDecoding(caption_rules=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        mel = torch.randn(n, N_MELS, 48) * 0.5
        text = torch.randint(0, 300, (n, 10))
        prompt = torch.tensor([SOT, 360, TRANSCRIBE, NO_TIMESTAMPS]).expand(n, -1)
        return mel, torch.cat([prompt, text], 1)

    def trigger(x):
        mel, tokens = x
        prev = torch.tensor([SOT_PREV, 117, 203, 45]).expand(tokens.shape[0], -1)
        return mel, torch.cat([prev, tokens], 1)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": EOT}
