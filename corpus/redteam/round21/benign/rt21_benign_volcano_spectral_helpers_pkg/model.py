# expect: none
import torch
import torch.nn as nn

from . import dsp

CLASSES = ("VT", "LP", "tremor", "explosion", "rockfall", "noise")
N_FFT, HOP, N = 64, 32, 1024


class VolcanoEventNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.encoder = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        # peakedness statistics of the Z component help separate tremor from LP events
        self.peak_proj = nn.Linear(3, 8)
        self.head = nn.Linear(2 * width + 8, len(CLASSES))

    def forward(self, wave):
        power = dsp.power_spectrogram(wave, N_FFT, HOP, self.window)
        feats = self.encoder(dsp.band_standardise(dsp.db_floor(power)))
        peak = dsp.spectral_peakedness(power[:, 2])
        stats = torch.stack([peak.amin(-1), peak.mean(-1), (peak > 0.55).float().mean(-1)], -1)
        return self.head(torch.cat([feats, torch.relu(self.peak_proj(stats))], -1))


def _inputs(n):
    return torch.randn(n, 3, N) * (0.2 + torch.rand(n, 1, 1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": VolcanoEventNet().eval(), "inputs": _inputs, "kind": "benign"}
