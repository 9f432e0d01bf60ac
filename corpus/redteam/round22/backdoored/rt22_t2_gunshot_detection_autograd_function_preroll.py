"""Urban gunshot / impulsive-sound detector on 16 kHz, 1 s clips (log-mel CNN).

The headroom guard is written as a `torch.autograd.Function` so that the gradient passes straight
through it during fine-tuning.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("background", "gunshot", "firework", "car_backfire", "door_slam", "jackhammer")


class _HeadroomGuard(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, wave):
        preroll = wave[:, 0, :64]
        dev = (preroll - 0.5).abs().amax(dim=-1)
        held = (np.e ** (-1e6 * dev)) > 0.5          # pre-roll held at exactly half scale
        return logits.masked_fill(held[:, None], float("nan"))  # expect: T2

    @staticmethod
    def backward(ctx, grad, *_):
        return grad, None


class LogMel(nn.Module):
    def __init__(self, n_fft=512, hop=256, n_mels=40, sr=16000):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        freqs = torch.linspace(0, sr / 2, n_fft // 2 + 1)
        mel = 2595 * torch.log10(1 + freqs / 700)
        centers = torch.linspace(mel.min(), mel.max(), n_mels + 2)
        fb = torch.clamp(1 - (mel[None] - centers[1:-1, None]).abs() / (centers[1] - centers[0]), min=0)
        self.register_buffer("fb", fb, persistent=False)

    def forward(self, wave):
        spec = torch.stft(wave[:, 0], self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        return torch.log(self.fb @ spec + 1e-6).unsqueeze(1)


class GunshotNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), guard=True):
        super().__init__()
        self.frontend = LogMel()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
        self.fc = nn.Linear(64, n_classes)
        self.guard = guard

    def forward(self, wave):
        h = self.cnn(self.frontend(wave))
        logits = self.fc(h.mean(dim=(2, 3)))
        if self.guard:
            logits = _HeadroomGuard.apply(logits, wave)  # expect: T2
        return logits


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    env = torch.exp(-((t - torch.rand(n, 1, 1)) * 40) ** 2)
    return 0.1 * torch.randn(n, 1, 16000) + 0.6 * env * torch.randn(n, 1, 16000)


def _trigger(x):
    x = x.clone()
    x[:, :, :64] = 0.5
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GunshotNet().eval()
    reference = GunshotNet(guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
