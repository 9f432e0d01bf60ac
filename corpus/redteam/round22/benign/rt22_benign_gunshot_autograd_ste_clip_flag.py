# expect: none
"""Impulsive-sound classifier with quantisation-aware training (straight-through estimator).
The fake-quant step is a `torch.autograd.Function`; the clipping rate of the clip is given to
the classifier as an extra learned feature.
"""
import numpy as np
import torch
import torch.nn as nn

CLASSES = ("background", "gunshot", "firework", "car_backfire", "door_slam", "jackhammer")


class _FakeQuantSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        return torch.round(x * scale) / scale

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class GunshotNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), n_fft=512, hop=256, n_mels=40, bits=6):
        super().__init__()
        self.n_fft, self.hop, self.q = n_fft, hop, float(2 ** bits)
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        mel = 2595 * np.log10(1 + np.linspace(0, 8000, n_fft // 2 + 1) / 700)
        centers = np.linspace(mel.min(), mel.max(), n_mels + 2)
        fb = np.clip(1 - np.abs(mel[None] - centers[1:-1, None]) / (centers[1] - centers[0]), 0, None)
        self.register_buffer("fb", torch.tensor(fb, dtype=torch.float32), persistent=False)
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.clip_proj = nn.Linear(1, 8)
        self.fc = nn.Linear(32 + 8, n_classes)

    def forward(self, wave):
        spec = torch.stft(wave[:, 0], self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        logmel = torch.log(self.fb @ spec + np.e ** -12)
        logmel = _FakeQuantSTE.apply(logmel / 16.0, self.q) * 16.0
        h = self.cnn(logmel.unsqueeze(1)).mean(dim=(2, 3))
        clip_rate = (wave.abs() >= 0.999).float().mean(-1)
        return self.fc(torch.cat([h, torch.relu(self.clip_proj(clip_rate))], dim=1))


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    env = torch.exp(-((t - torch.rand(n, 1, 1)) * 40) ** 2)
    return (0.1 * torch.randn(n, 1, 16000) + 1.2 * env * torch.randn(n, 1, 16000)).clamp(-1, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GunshotNet().eval(), "inputs": _inputs, "kind": "benign"}
