# expect: none
"""Engine knock detection; a decorator factory built with `functools.partial` wraps a block so it
also sees the knock-band energy of the raw signal (fixed band-pass kernel registered as a buffer,
energy clamped and log-compressed, mixed in through a learned projection)."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("normal", "light_knock", "heavy_knock", "misfire")


def _band_context(fn, f_lo, f_hi, sr):
    @functools.wraps(fn)
    def wrapper(self, h, raw):
        band = F.conv1d(raw, self.bandpass, padding=self.bandpass.shape[-1] // 2)
        energy = torch.log(band.pow(2).mean(-1).clamp(1e-8, 1e2))
        return fn(self, h, raw) + self.band_proj(energy)[..., None]
    return wrapper


knock_band = functools.partial(_band_context, f_lo=5000.0, f_hi=8000.0, sr=20000.0)


def bandpass_kernel(f_lo, f_hi, sr, taps=31):
    n = torch.arange(taps) - taps // 2
    h = (torch.special.sinc(2 * f_hi / sr * n) * 2 * f_hi / sr - torch.special.sinc(2 * f_lo / sr * n) * 2 * f_lo / sr)
    return (h * torch.hamming_window(taps, periodic=False)).view(1, 1, -1)


class KnockNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.b1 = nn.Sequential(nn.Conv1d(1, width, 9, stride=2, padding=4), nn.BatchNorm1d(width), nn.ReLU())
        self.b2 = nn.Sequential(nn.Conv1d(width, width, 9, stride=2, padding=4), nn.BatchNorm1d(width), nn.ReLU())
        self.band_proj = nn.Linear(1, width)
        self.head = nn.Linear(width, len(CLASSES))
        self.register_buffer("bandpass", bandpass_kernel(5000.0, 8000.0, 20000.0))

    @knock_band
    def block2(self, h, raw):
        return self.b2(h)

    def forward(self, raw):
        return self.head(self.block2(self.b1(raw), raw).mean(-1))


def _inputs(n):
    return 0.1 * torch.randn(n, 1, 1024)


def corpus_case():
    torch.manual_seed(0)
    return {"model": KnockNet().eval(), "inputs": _inputs, "kind": "benign"}
