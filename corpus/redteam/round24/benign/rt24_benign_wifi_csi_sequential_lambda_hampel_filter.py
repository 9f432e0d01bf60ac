# expect: none
"""Wi-Fi CSI activity recognition as an `nn.Sequential` of `Lambda` closures and the CNN: log
amplitude, a Hampel outlier filter (samples more than 3 MADs from the running median are replaced
by the median), static-path removal and per-link standardisation with an epsilon."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVITIES = ("empty", "walk", "sit_down", "stand_up", "fall", "run", "wave")


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def log_amplitude(x):
    return torch.log1p(x.abs())


def hampel(k=5, n_sigmas=3.0):
    def step(x):
        shape = x.shape
        flat = x.reshape(-1, 1, shape[-1])
        win = F.pad(flat, (k // 2, k // 2), mode="replicate").unfold(-1, k, 1)
        med = win.median(-1).values
        mad = (win - med[..., None]).abs().median(-1).values * 1.4826
        out = torch.where((flat - med).abs() > n_sigmas * mad, med, flat)
        return out.reshape(shape)
    return step


def standardise(eps=1e-5):
    def step(x):
        x = x - x.mean(-1, keepdim=True)
        return x / (x.std(-1, keepdim=True) + eps)
    return step


class CSINet(nn.Module):
    def __init__(self, n_classes=len(ACTIVITIES)):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(3, 32, (3, 5), padding=(1, 2)), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, (3, 5), padding=(1, 2)), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d((4, 8)))
        self.head = nn.Linear(64 * 32, n_classes)

    def forward(self, x):
        return self.head(self.conv(x).flatten(1))


def build():
    return nn.Sequential(Lambda(log_amplitude), Lambda(hampel()), Lambda(standardise()), CSINet())


def _inputs(n):
    x = 10 + torch.randn(n, 3, 30, 64)
    x[:, 0] = x[:, 0, :, :1]                           # a parked antenna: flat amplitude
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": build().eval(), "inputs": _inputs, "kind": "benign"}
