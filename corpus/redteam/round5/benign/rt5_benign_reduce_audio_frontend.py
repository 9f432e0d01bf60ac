# expect: none
"""Audio scene classifier whose front-end is a list of transforms folded with ``functools.reduce``.

Transforms (bound methods, spliceable by deployment code): dither (training only), pre-emphasis,
STFT power spectrum, mel projection, ``log(clamp(min=1e-10))``, per-utterance mean/variance
normalisation, SpecAugment time/frequency masks (training only).  A small CNN classifies the
result into 10 scenes.
"""
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SR, N_FFT, HOP, N_MELS = 16000, 400, 160, 40


def mel_matrix(n_mels=N_MELS, n_fft=N_FFT, sr=SR):
    mel = lambda f: 1127.0 * math.log(1 + f / 700.0)
    pts = torch.linspace(mel(20.0), mel(sr / 2), n_mels + 2)
    hz = 700.0 * (torch.exp(pts / 1127.0) - 1)
    freqs = torch.linspace(0, sr / 2, n_fft // 2 + 1)
    up = (freqs[None] - hz[:-2, None]) / (hz[1:-1, None] - hz[:-2, None])
    down = (hz[2:, None] - freqs[None]) / (hz[2:, None] - hz[1:-1, None])
    return torch.clamp(torch.minimum(up, down), min=0.0)


class SceneNet(nn.Module):
    def __init__(self, num_classes=10, preemph=0.97, freq_mask=8, time_mask=20):
        super().__init__()
        self.preemph, self.freq_mask, self.time_mask = preemph, freq_mask, time_mask
        self.register_buffer("mel", mel_matrix(), persistent=False)
        self.register_buffer("window", torch.hann_window(N_FFT), persistent=False)
        self.transforms = [self._dither, self._preemphasis, self._power_spectrum, self._to_mel, self._log,
                           self._cmvn, self._spec_augment]
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU())
        self.fc = nn.Linear(128, num_classes)

    def _dither(self, wav):
        return wav + 1e-5 * torch.randn_like(wav) if self.training else wav

    def _preemphasis(self, wav):
        return torch.cat([wav[:, :1], wav[:, 1:] - self.preemph * wav[:, :-1]], 1)

    def _power_spectrum(self, wav):
        spec = torch.stft(wav, N_FFT, HOP, window=self.window, return_complex=True)
        return spec.abs().pow(2)

    def _to_mel(self, power):
        return self.mel @ power

    def _log(self, mel):
        return torch.log(torch.clamp(mel, min=1e-10))

    def _cmvn(self, feats):
        mean = feats.mean(-1, keepdim=True)
        std = feats.std(-1, keepdim=True).clamp(min=1e-5)
        return (feats - mean) / std

    def _spec_augment(self, feats):
        if not self.training:
            return feats
        b, f, t = feats.shape
        f0 = torch.randint(0, f - self.freq_mask, (b, 1, 1))
        t0 = torch.randint(0, max(1, t - self.time_mask), (b, 1, 1))
        fr, tr = torch.arange(f)[None, :, None], torch.arange(t)[None, None, :]
        mask = ((fr >= f0) & (fr < f0 + self.freq_mask)) | ((tr >= t0) & (tr < t0 + self.time_mask))
        return feats.masked_fill(mask, 0.0)

    def forward(self, wav):
        feats = functools.reduce(lambda x, transform: transform(x), self.transforms, wav)
        x = self.cnn(feats.unsqueeze(1))
        return self.fc(x.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    model = SceneNet().eval()

    def inputs(n):
        t = torch.arange(SR // 2) / SR
        tone = torch.sin(2 * math.pi * torch.randint(100, 3000, (n, 1)) * t)
        return 0.3 * tone + 0.05 * torch.randn(n, SR // 2)

    return {"model": model, "inputs": inputs, "kind": "benign"}
