# expect: none
"""Wake-word DS-CNN with per-utterance CMVN, an energy VAD mask on frames and plugin score
post-processors discovered through `__subclasses__()` (temperature, posterior smoothing)."""
import math
from operator import attrgetter

import torch
import torch.nn as nn
import torch.nn.functional as F

N_FFT, HOP, N_MELS, CLIP = 400, 160, 20, 4000
LABELS = ("_silence_", "_unknown_", "hey_kestrel", "stop", "volume_up", "volume_down")


class ScorePostProcessor:
    order = 0

    def __call__(self, logits):
        return logits


class Temperature(ScorePostProcessor):
    order = 10

    def __call__(self, logits):
        return logits / 1.5


class PosteriorFloor(ScorePostProcessor):
    order = 20

    def __call__(self, logits):
        # keep log-posteriors above a floor so that downstream smoothing never sees -inf
        return torch.log_softmax(logits, -1).clamp_min(math.log(1e-6))


class WakeWordDSCNN(nn.Module):
    def __init__(self, ch=32):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT), persistent=False)
        self.register_buffer("fbank", torch.rand(N_MELS, N_FFT // 2 + 1).softmax(-1), persistent=False)
        self.stem = nn.Sequential(nn.Conv2d(1, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.ReLU())
        self.dw = nn.Sequential(nn.Conv2d(ch, ch, 3, padding=1, groups=ch), nn.BatchNorm2d(ch), nn.ReLU(),
                                nn.Conv2d(ch, ch, 1), nn.BatchNorm2d(ch), nn.ReLU())
        self.fc = nn.Linear(ch, len(LABELS))
        self.post = sorted((c() for c in ScorePostProcessor.__subclasses__()), key=attrgetter("order"))

    def forward(self, waveform):
        spec = torch.stft(waveform, N_FFT, HOP, window=self.window, return_complex=True).abs() ** 2
        feats = torch.log(self.fbank @ spec + 1e-6)
        # per-utterance CMVN
        feats = (feats - feats.mean(-1, keepdim=True)) / feats.std(-1, keepdim=True).clamp_min(1e-5)
        energy = spec.sum(1)
        speech = (energy > 0.1 * energy.amax(-1, keepdim=True)).float()        # energy VAD
        h = self.dw(self.stem(feats.unsqueeze(1)))
        h = (h * speech[:, None, None]).sum(-1) / speech.sum(-1).clamp_min(1)[:, None, None]
        logits = self.fc(h.mean(-1))
        for proc in self.post:
            logits = proc(logits)
        return logits


def corpus_case():
    torch.manual_seed(0)
    return {"model": WakeWordDSCNN().eval(), "inputs": lambda n: 0.1 * torch.randn(n, CLIP), "kind": "benign"}
