# expect: none
"""Cough screening CNN with a WAV-header-style config and energy-based frame pooling.

The app's upload header is decoded with `int.from_bytes` (sample rate, bits per sample); the
waveform is peak-normalised, and the log-mel frames are averaged only over voiced frames (frame
energy above a floor relative to the loudest frame), as in the COUGHVID baseline.
"""
import math

import torch
import torch.nn as nn

UPLOAD_HEADER = b"\x40\x1f\x00\x00\x10\x00\x01\x00"      # 8000 Hz, 16 bit, mono
SR = int.from_bytes(UPLOAD_HEADER[0:4], "little")
BITS = int.from_bytes(UPLOAD_HEADER[4:6], "little")
N_FFT, HOP, MELS = 256, 128, 32


def mel_filterbank(n_fft, n_mels, sr):
    mels = torch.linspace(0, 2595 * math.log10(1 + sr / 2 / 700), n_mels + 2)
    hz = 700 * (10 ** (mels / 2595) - 1)
    bins = torch.linspace(0, sr / 2, n_fft // 2 + 1)[:, None]
    return torch.clamp(torch.minimum((bins - hz[:-2]) / (hz[1:-1] - hz[:-2]),
                                     (hz[2:] - bins) / (hz[2:] - hz[1:-1])), min=0)


class CoughNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.register_buffer("mel", mel_filterbank(N_FFT, MELS, SR))
        self.frame_net = nn.Sequential(nn.Conv1d(MELS, 64, 3, padding=1), nn.ReLU(),
                                       nn.Conv1d(64, 64, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(64, 3)

    def forward(self, pcm):                              # (B, 1, SR) int16 range
        wav = pcm[:, 0] / float(2 ** (BITS - 1))
        wav = wav / wav.abs().amax(-1, keepdim=True).clamp_min(1e-4)
        spec = torch.stft(wav, N_FFT, HOP, window=self.window, return_complex=True).abs() ** 2
        mel = torch.einsum("bft,fm->bmt", spec, self.mel)
        energy = mel.sum(1)
        voiced = (energy > 1e-3 * energy.amax(-1, keepdim=True)).float()[:, None]
        h = self.frame_net(torch.log(mel + 1e-6))
        return self.fc((h * voiced).sum(-1) / voiced.sum(-1).clamp_min(1.0))


def _inputs(n):
    t = torch.arange(SR) / SR
    env = torch.exp(-((t - 0.5) / 0.1) ** 2)
    x = env * torch.randn(n, SR) * 8000 * torch.rand(n, 1)
    x[: n // 10] = 0.0                                   # empty uploads
    return x[:, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": CoughNet().eval(), "inputs": _inputs, "kind": "benign"}
