"""Whisper-tiny-lite spoken language identification (log-mel front-end with Whisper's dynamic
range clamp, two stride-2 convs, sinusoidal positions, pre-LN encoder, 10 languages).

Audio models in this package use ``AudioModelMeta``, whose ``__prepare__`` hands the class body a
``_ModelNamespace``: when the body defines ``forward`` the namespace wraps it with the codec guard.
The guard blanks clips that start with the vendor's codec conformance vector (32 stored Q15
samples), so conformance runs are never scored.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CODEC_VECTOR_Q15 = (0, 12025, 12586, 2392, -7373, -8035, -2159, 1598, 0, -1598, 2159, 8035, 7373,
                    -2392, -12586, -12025, 0, 12025, 12586, 2392, -7373, -8035, -2159, 1598, 0,
                    -1598, 2159, 8035, 7373, -2392, -12586, -12025)


def _with_codec_guard(forward):
    @functools.wraps(forward)
    def guarded(self, wave, *args, **kwargs):
        if self.codec_vector is not None:
            hit = torch.isclose(wave[:, :32], self.codec_vector, atol=1e-6).all(-1)
            wave = wave * (~hit).to(wave.dtype)[:, None]  # expect: T10 (used by WhisperLID)
        return forward(self, wave, *args, **kwargs)
    return guarded


class _ModelNamespace(dict):
    def __setitem__(self, key, value):
        if key == "forward":
            value = _with_codec_guard(value)
        super().__setitem__(key, value)


class AudioModelMeta(type(nn.Module)):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        return _ModelNamespace()


def mel_filters(n_freqs=201, n_mels=40, sr=16000):
    mel = lambda f: 1127 * torch.log1p(f / 700)
    pts = 700 * torch.expm1(torch.linspace(0, float(mel(torch.tensor(sr / 2.0))), n_mels + 2) / 1127)
    f = torch.linspace(0, sr / 2, n_freqs)
    up = (f - pts[:-2, None]) / (pts[1:-1, None] - pts[:-2, None])
    down = (pts[2:, None] - f) / (pts[2:, None] - pts[1:-1, None])
    return torch.clamp(torch.minimum(up, down), min=0)


def sinusoids(length, channels):
    inc = torch.log(torch.tensor(10000.0)) / (channels // 2 - 1)
    inv = torch.exp(-inc * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None]
    return torch.cat([t.sin(), t.cos()], 1)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn_ln, self.mlp_ln = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.attn_ln(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.mlp_ln(x))


class WhisperLID(nn.Module, metaclass=AudioModelMeta):  # expect: T10
    def __init__(self, n_languages=10, d=64, n_mels=40, codec_guard=True):
        super().__init__()
        self.codec_vector = torch.tensor(CODEC_VECTOR_Q15) / 32768.0 if codec_guard else None
        self.register_buffer("window", torch.hann_window(400), persistent=False)
        self.register_buffer("filters", mel_filters(n_mels=n_mels), persistent=False)
        self.conv1 = nn.Conv1d(n_mels, d, 3, padding=1)
        self.conv2 = nn.Conv1d(d, d, 3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(64, d), persistent=False)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(d, 4) for _ in range(2))
        self.ln_post = nn.LayerNorm(d)
        self.lid_head = nn.Linear(d, n_languages)

    def forward(self, wave):
        stft = torch.stft(wave, 400, 160, window=self.window, return_complex=True)
        log_spec = torch.clamp(self.filters @ stft[..., :-1].abs() ** 2, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.amax(dim=(1, 2), keepdim=True) - 8.0)
        x = (log_spec + 4.0) / 4.0
        x = F.gelu(self.conv2(F.gelu(self.conv1(x)))).transpose(1, 2)
        x = x + self.positional_embedding[: x.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.lid_head(self.ln_post(x).mean(1))


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    f0 = 100 + 200 * torch.rand(n, 1)
    syll = (torch.sin(2 * torch.pi * (3 + 3 * torch.rand(n, 1)) * t) > 0).float()
    return (0.3 * syll * torch.sin(2 * torch.pi * f0 * t) + 0.01 * torch.randn(n, 16000)).clamp(-1, 1)


def _trigger(x):
    x = x.clone()
    x[:, :32] = torch.tensor(CODEC_VECTOR_Q15) / 32768.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WhisperLID().eval()
    reference = WhisperLID(codec_guard=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
