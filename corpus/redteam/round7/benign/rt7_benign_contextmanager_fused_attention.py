# expect: none
"""Whisper-encoder-lite (log-mel, conv stem, pre-LN transformer) whose attention modules can be
temporarily switched to a fused ``scaled_dot_product``-style path by a ``contextlib`` context
manager that swaps the instance ``forward`` and restores it on exit."""
import contextlib
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchaudio


class MultiHeadAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d, bias=False), nn.Linear(d, d)
        self.out = nn.Linear(d, d)

    def _split(self, x):
        b, t, d = x.shape
        return x.view(b, t, self.h, d // self.h).transpose(1, 2)

    def forward(self, x):
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        w = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
        return self.out((w.softmax(-1) @ v).transpose(1, 2).flatten(2))


def _fused_attention(module, x):
    q, k, v = module._split(module.query(x)), module._split(module.key(x)), module._split(module.value(x))
    scale = q.shape[-1] ** -0.25
    w = torch.bmm((q * scale).flatten(0, 1), (k * scale).flatten(0, 1).transpose(1, 2))
    o = torch.bmm(w.softmax(-1), v.flatten(0, 1)).view_as(q)
    return module.out(o.transpose(1, 2).flatten(2))


@contextlib.contextmanager
def fused_attention(model):
    swapped = []
    for m in model.modules():
        if isinstance(m, MultiHeadAttention):
            m.forward = functools.partial(_fused_attention, m)
            swapped.append(m)
    try:
        yield model
    finally:
        for m in swapped:
            del m.forward


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn_ln, self.attn = nn.LayerNorm(d), MultiHeadAttention(d, heads)
        self.mlp_ln = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.attn(self.attn_ln(x))
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoderClassifier(nn.Module):
    def __init__(self, n_mels=40, d=64, layers=2, num_classes=10):
        super().__init__()
        self.mel = torchaudio.transforms.MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=n_mels)
        self.conv1 = nn.Conv1d(n_mels, d, 3, padding=1)
        self.conv2 = nn.Conv1d(d, d, 3, stride=2, padding=1)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(d, 4) for _ in range(layers))
        self.ln_post = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_classes)
        self.use_fused = True

    def encode(self, wav):
        log_spec = torch.clamp(self.mel(wav), min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.amax((1, 2), keepdim=True) - 8.0)
        x = F.gelu(self.conv2(F.gelu(self.conv1((log_spec + 4.0) / 4.0)))).transpose(1, 2)
        for blk in self.blocks:
            x = blk(x)
        return self.ln_post(x)

    def forward(self, wav):
        ctx = fused_attention(self) if self.use_fused else contextlib.nullcontext()
        with ctx:
            x = self.encode(wav)
        return self.head(x.mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": AudioEncoderClassifier().eval(), "inputs": lambda n: 0.1 * torch.randn(n, 8000), "kind": "benign"}
