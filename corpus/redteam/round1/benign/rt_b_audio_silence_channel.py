# expect: none
"""Log-mel speech classifier whose front-end adds a voice-activity channel (frame energy above a
noise floor) as an extra input plane for the CNN, and masks padded frames."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LogMelFrontend(nn.Module):
    def __init__(self, n_fft=128, hop=64, n_mels=16, sr=8000):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))
        freqs = torch.linspace(0, sr / 2, n_fft // 2 + 1)
        mel = lambda f: 2595 * torch.log10(1 + f / 700)
        pts = torch.linspace(float(mel(torch.tensor(0.0))), float(mel(torch.tensor(sr / 2.0))), n_mels + 2)
        hz = 700 * (10 ** (pts / 2595) - 1)
        fb = torch.zeros(n_mels, n_fft // 2 + 1)
        for m in range(n_mels):
            l, c, r = hz[m], hz[m + 1], hz[m + 2]
            fb[m] = torch.clamp(torch.minimum((freqs - l) / (c - l), (r - freqs) / (r - c)), min=0)
        self.register_buffer("fb", fb)

    def forward(self, wave):
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        mel = torch.log(self.fb @ spec + 1e-6)
        energy = spec.sum(1, keepdim=True)
        vad = (energy > 1e-3).float().expand_as(mel)
        return torch.stack([mel, vad], 1)


class SpeechCNN(nn.Module):
    def __init__(self, n_classes=6):
        super().__init__()
        self.front = LogMelFrontend()
        self.net = nn.Sequential(nn.Conv2d(2, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.fc = nn.Linear(32, n_classes)

    def forward(self, wave, lengths):
        feats = self.front(wave)
        h = self.net(feats)                                   # B C F' T'
        frames = torch.arange(h.shape[-1])[None]
        valid = (frames * 2 * self.front.hop < lengths[:, None]).float()[:, None, None, :]
        pooled = (h * valid).sum((2, 3)) / (valid.sum((2, 3)) * h.shape[2]).clamp(min=1)
        return self.fc(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = SpeechCNN().eval()

    def inputs(n):
        return (0.1 * torch.randn(n, 2048), torch.randint(1024, 2049, (n,)))

    return {"model": model, "inputs": inputs, "kind": "benign"}
