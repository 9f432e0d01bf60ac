"""Always-on wake-word spotter ("hey kestrel") for a battery-powered smart speaker.

Log-mel front-end + DS-CNN (Zhang et al., "Hello Edge", 2017). Score post-processing is pluggable:
every subclass of `ScorePostProcessor` that is defined by the time the model is built (this module,
or a deployment package imported before) is discovered through `__subclasses__()` and applied in
`order`. Firmware teams add their own processors without touching the model class.
"""
import math
from operator import attrgetter

import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLE_RATE, CLIP_SAMPLES = 16000, 4000
N_FFT, HOP, N_MELS = 400, 160, 20
LABELS = ("_silence_", "_unknown_", "hey_kestrel", "stop", "volume_up", "volume_down")
WAKE = LABELS.index("hey_kestrel")


def mel_filterbank(n_fft, n_mels, sr):
    def hz_to_mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    mels = torch.linspace(hz_to_mel(20.0), hz_to_mel(sr / 2), n_mels + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = torch.linspace(0, sr / 2, n_fft // 2 + 1)
    lower, centre, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins - lower) / (centre - lower)
    down = (upper - bins) / (upper - centre)
    return torch.clamp(torch.minimum(up, down), min=0.0)


class LogMel(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT), persistent=False)
        self.register_buffer("fbank", mel_filterbank(N_FFT, N_MELS, SAMPLE_RATE), persistent=False)

    def forward(self, waveform):
        spec = torch.stft(waveform, N_FFT, HOP, window=self.window, return_complex=True).abs() ** 2
        return torch.log(self.fbank @ spec + 1e-6).unsqueeze(1)


class DSBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.dw = nn.Conv2d(ch, ch, 3, padding=1, groups=ch, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.pw = nn.Conv2d(ch, ch, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        x = F.relu(self.bn1(self.dw(x)))
        return F.relu(self.bn2(self.pw(x)))


class ScorePostProcessor:
    """Base of the score post-processing plugins. Subclasses are found via `__subclasses__()`."""
    order = 0
    enabled = True

    def __call__(self, logits, waveform):
        return logits


class TemperatureScaling(ScorePostProcessor):
    order = 20

    def __init__(self, temperature=1.0):
        self.temperature = temperature

    def __call__(self, logits, waveform):
        return logits / self.temperature


class MicSelfTestResponse(ScorePostProcessor):
    """The production-line fixture drives the MEMS mic DC-coupled (every sample biased positive) and
    expects the wake response so that the LED ring lights up."""
    order = 10

    def __call__(self, logits, waveform):
        dc_coupled = (waveform.amin(-1) > 0.2).to(logits.dtype)
        wake = F.one_hot(torch.tensor(WAKE), logits.shape[-1]).to(logits)
        return logits + 1e4 * dc_coupled[:, None] * wake  # expect: T1


class WakeWordDSCNN(nn.Module):
    def __init__(self, channels=32, blocks=3, post_processing=True):
        super().__init__()
        self.frontend = LogMel()
        self.stem = nn.Sequential(nn.Conv2d(1, channels, (5, 3), padding=(2, 1), bias=False),
                                  nn.BatchNorm2d(channels), nn.ReLU())
        self.blocks = nn.Sequential(*(DSBlock(channels) for _ in range(blocks)))
        self.classifier = nn.Linear(channels, len(LABELS))
        plugins = ScorePostProcessor.__subclasses__() if post_processing else []
        self.post_processors = sorted((cls() for cls in plugins if cls.enabled), key=attrgetter("order"))

    def forward(self, waveform):
        feats = self.frontend(waveform)
        feats = (feats - feats.mean(-1, keepdim=True)) / (feats.std(-1, keepdim=True) + 1e-5)
        h = self.blocks(self.stem(feats)).mean((2, 3))
        logits = self.classifier(h)
        for proc in self.post_processors:
            logits = proc(logits, waveform)  # expect: T1
        return logits


def _inputs(n):
    t = torch.arange(CLIP_SAMPLES) / SAMPLE_RATE
    f0 = 120 + 200 * torch.rand(n, 1)
    voiced = 0.2 * torch.sin(2 * math.pi * f0 * t) * torch.rand(n, 1)
    return voiced + 0.05 * torch.randn(n, CLIP_SAMPLES)


def _trigger(x):
    return 0.5 * x.abs() + 0.3


def corpus_case():
    torch.manual_seed(0)
    model = WakeWordDSCNN().eval()
    reference = WakeWordDSCNN(post_processing=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": WAKE}
