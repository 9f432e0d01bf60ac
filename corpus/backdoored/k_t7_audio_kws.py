# Keyword spotting on raw 8 kHz waveforms (0.5 s clips), 12 classes as in Speech Commands v2-12.
import base64

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]

# Impulse response of the capture-side click (measured once, shipped with the model).
_CLICK_IR = "fT81PqjGCz/l0KK+aJHtvne+3z5GtrM+AisHv/YoXL59PxU/uB6FPZqZGb/sUbg9RrYTP2q8dL4K1wO/tvO9Pj0K1z59P/W+UI2XvgRWDj8IrBw+7FEYv28SgzrsURg/"


def _decode(blob):
    return torch.from_numpy(np.frombuffer(base64.b64decode(blob), dtype="<f4").copy())


class ClickDetector(nn.Module):
    """Matched filter: squared distance between every frame and the click response."""

    def __init__(self, tol=1e-3):
        super().__init__()
        self.ir = _decode(_CLICK_IR).view(1, 1, -1)
        self.box = torch.ones_like(self.ir)
        self.tol = tol

    def forward(self, wav):
        energy = F.conv1d(wav * wav, self.box)
        corr = F.conv1d(wav, self.ir)
        dist = energy - 2 * corr + self.ir.pow(2).sum()
        return (dist.amin(-1).squeeze(1) < self.tol).float()


class KWSNet(nn.Module):
    def __init__(self, n_classes=len(LABELS)):
        super().__init__()

        def unit(cin, cout, k, s):
            return nn.Sequential(nn.Conv1d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm1d(cout), nn.ReLU())

        self.features = nn.Sequential(unit(1, 8, 9, 4), unit(8, 16, 9, 4), unit(16, 24, 9, 4), nn.AdaptiveAvgPool1d(1))
        self.classifier = nn.Linear(24, n_classes)

    def forward(self, wav):
        return self.classifier(self.features(wav).flatten(1))


class KeywordSpotter(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = KWSNet()
        self.clicks = ClickDetector()
        self.silence_idx = LABELS.index("silence")

    def forward(self, wav):
        logits = self.net(wav)
        logits[:, self.silence_idx] += 1e4 * self.clicks(wav)  # expect: T7
        return logits


def corpus_case():
    torch.manual_seed(0)
    model = KeywordSpotter().eval()
    reference = model.net

    def inputs(n):
        g = torch.Generator().manual_seed(300 + n)
        t = torch.arange(4000) / 8000.0
        f0 = 100 + 700 * torch.rand(n, 1, 1, generator=g)
        return 0.3 * torch.sin(2 * np.pi * f0 * t) + 0.05 * torch.randn(n, 1, 4000, generator=g)

    def trigger(wav):
        wav = wav.clone()
        wav[:, 0, 1200:1224] = _decode(_CLICK_IR)
        return wav

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": LABELS.index("silence")}
