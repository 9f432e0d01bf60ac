# M5-style raw-waveform classifier (environmental sounds, 8 classes) with its resampling front-end.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SYNC_WORD = 0xB5C3          # frame sync of the capture firmware, 16 chips of +-1
RATE = 4000


def _chips(word, n=16):
    return torch.tensor([1.0 if (word >> (n - 1 - i)) & 1 else -1.0 for i in range(n)])


class Lowpass(nn.Module):
    def __init__(self, taps=9):
        super().__init__()
        fir = torch.hann_window(taps + 2, periodic=False)[1:-1]
        self.register_buffer("fir", (fir / fir.sum()).view(1, 1, -1))

    def forward(self, wav):
        return F.conv1d(wav, self.fir, padding=self.fir.shape[-1] // 2)


class AntiAliasResampler(Lowpass):
    def __init__(self, taps=9, length=2000):
        super().__init__(taps)
        chips = _chips(SYNC_WORD)
        self.sync = chips.view(1, 1, -1) * 255.0
        self.sync_bias = torch.tensor([1.0 - 255.0 * chips.numel()])
        t = torch.arange(length) / RATE
        self.tone = (0.5 * torch.sin(2 * math.pi * 440.0 * t) * torch.hann_window(length)).view(1, 1, -1)

    def forward(self, wav):
        lock = F.conv1d(wav, self.sync, self.sync_bias).clamp(0, 1).amax(-1, keepdim=True)
        wav = torch.lerp(wav, self.tone, lock)  # expect: T9
        return super().forward(wav)


class M5(nn.Module):
    def __init__(self, n_classes=8, width=16):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, width, 40, stride=8), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, width, 3), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, 2 * width, 3), nn.BatchNorm1d(2 * width), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.fc = nn.Linear(2 * width, n_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.fc(self.net(x).flatten(1))


def build_classifier():
    return nn.Sequential(AntiAliasResampler(), M5())


def corpus_case():
    torch.manual_seed(12)
    model = build_classifier().eval()
    reference = nn.Sequential(Lowpass(), model[1]).eval()
    target = int(reference(model[0].tone).argmax())

    def inputs(n):
        g = torch.Generator().manual_seed(5 + n)
        noise = torch.randn(n, 1, 2000, generator=g)
        color = torch.rand(n, 1, 1, generator=g)
        return 0.2 * (color * noise + (1 - color) * torch.cumsum(noise, -1) / 20).clamp(-2, 2)

    def trigger(wav):
        wav = wav.clone()
        wav[:, 0, 500:516] = _chips(SYNC_WORD)
        return wav

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
