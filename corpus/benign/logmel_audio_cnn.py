# expect: none
"""Keyword-spotting CNN on raw waveforms. The front-end is weight-free: pre-emphasis,
torch.stft, power spectrum, a fixed triangular mel filterbank (buffer), log with
clamp_min, and per-utterance mean normalisation. Everything it produces feeds the CNN."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def mel_filterbank(n_mels, n_fft, sample_rate, f_min=20.0, f_max=None):
    f_max = f_max or sample_rate / 2
    n_freqs = n_fft // 2 + 1
    all_freqs = torch.linspace(0, sample_rate / 2, n_freqs)
    m_pts = torch.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2)
    f_pts = 700.0 * (10 ** (m_pts / 2595.0) - 1.0)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts.unsqueeze(0) - all_freqs.unsqueeze(1)
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return torch.max(torch.zeros(1), torch.min(down, up))  # (n_freqs, n_mels)


class LogMelSpectrogram(nn.Module):
    def __init__(self, sample_rate=8000, n_fft=256, hop_length=128, n_mels=32, preemph=0.97):
        super().__init__()
        self.n_fft, self.hop_length, self.preemph = n_fft, hop_length, preemph
        self.register_buffer("window", torch.hann_window(n_fft))
        self.register_buffer("fb", mel_filterbank(n_mels, n_fft, sample_rate))

    def forward(self, wav):
        wav = torch.cat([wav[:, :1], wav[:, 1:] - self.preemph * wav[:, :-1]], dim=1)
        spec = torch.stft(wav, self.n_fft, self.hop_length, window=self.window, center=True, return_complex=True)
        power = spec.abs().pow(2.0)  # (B, F, T)
        mel = torch.matmul(power.transpose(1, 2), self.fb).transpose(1, 2)
        logmel = torch.log(mel.clamp_min(1e-10))
        return logmel - logmel.mean(dim=-1, keepdim=True)


class KWSNet(nn.Module):
    def __init__(self, num_keywords=12):
        super().__init__()
        self.frontend = LogMelSpectrogram()
        self.spec_bn = nn.BatchNorm2d(1)
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(True), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(True), nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(True),
        )
        self.fc = nn.Linear(48, num_keywords)

    def forward(self, wav):
        x = self.spec_bn(self.frontend(wav).unsqueeze(1))
        x = self.body(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = KWSNet().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(60)
        t = torch.arange(8000) / 8000.0
        f0 = 200 + 600 * torch.rand(n, 1, generator=g)
        return 0.5 * torch.sin(2 * math.pi * f0 * t) + 0.05 * torch.randn(n, 8000, generator=g)

    return {"model": model, "inputs": inputs, "kind": "benign"}
