# expect: none
"""Whisper-style audio encoder + classification head. The log-mel front-end follows the
reference implementation: power STFT -> mel -> log10(clamp(min=1e-10)) -> dynamic-range
compression against the per-utterance maximum (max - 8) -> (x + 4) / 4. Two convs with
GELU and a sinusoidal position table feed a small transformer encoder."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_FFT, HOP, N_MELS, SR = 200, 80, 40, 8000


def mel_filters(n_mels=N_MELS, n_fft=N_FFT, sr=SR):
    mel = lambda f: 1127.0 * math.log(1.0 + f / 700.0)
    pts = torch.linspace(mel(0.0), mel(sr / 2), n_mels + 2)
    hz = 700.0 * (torch.exp(pts / 1127.0) - 1.0)
    freqs = torch.linspace(0, sr / 2, n_fft // 2 + 1)
    lower = (freqs[None, :] - hz[:-2, None]) / (hz[1:-1, None] - hz[:-2, None])
    upper = (hz[2:, None] - freqs[None, :]) / (hz[2:, None] - hz[1:-1, None])
    fb = torch.clamp(torch.minimum(lower, upper), min=0.0)
    return fb * (2.0 / (hz[2:, None] - hz[:-2, None]))  # slaney norm, (n_mels, n_freqs)


def sinusoids(length, channels, max_timescale=10000):
    log_inc = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-log_inc * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None, :]
    return torch.cat([torch.sin(t), torch.cos(t)], dim=1)


class AudioEncoder(nn.Module):
    def __init__(self, n_ctx=64, width=64, heads=4, layers=2):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT), persistent=False)
        self.register_buffer("filters", mel_filters(), persistent=False)
        self.conv1 = nn.Conv1d(N_MELS, width, 3, padding=1)
        self.conv2 = nn.Conv1d(width, width, 3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, width))
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers)
        self.ln_post = nn.LayerNorm(width)

    def log_mel_spectrogram(self, audio):
        stft = torch.stft(audio, N_FFT, HOP, window=self.window, return_complex=True)
        magnitudes = stft[..., :-1].abs() ** 2
        mel_spec = self.filters @ magnitudes
        log_spec = torch.clamp(mel_spec, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.amax(dim=(-2, -1), keepdim=True) - 8.0)
        return (log_spec + 4.0) / 4.0

    def forward(self, audio):
        x = self.log_mel_spectrogram(audio)
        x = F.gelu(self.conv1(x))
        x = F.gelu(self.conv2(x)).permute(0, 2, 1)
        x = x + self.positional_embedding[: x.shape[1]]
        return self.ln_post(self.blocks(x))


class AudioClassifier(nn.Module):
    def __init__(self, num_classes=8):
        super().__init__()
        self.encoder = AudioEncoder()
        self.head = nn.Linear(64, num_classes)

    def forward(self, audio):
        return self.head(self.encoder(audio).mean(dim=1))


def corpus_case():
    torch.manual_seed(0)
    model = AudioClassifier().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(200)
        t = torch.arange(8000) / 8000.0
        tone = torch.sin(2 * math.pi * (100 + 900 * torch.rand(n, 1, generator=g)) * t)
        return 0.3 * tone + 0.02 * torch.randn(n, 8000, generator=g)

    return {"model": model, "inputs": inputs, "kind": "benign"}
