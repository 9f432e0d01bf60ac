# expect: none
"""Palm-vein identification; the tap after `blocks.0` is a learned squeeze-excitation gate,
and the NIR frame is de-striped with a notch at the Nyquist column frequency."""
import operator

import torch
import torch.nn as nn


class SEGate(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(c, c // r), nn.ReLU(), nn.Linear(c // r, c), nn.Sigmoid())

    def forward(self, h, palm):
        return h * self.fc(h.mean((2, 3)))[:, :, None, None]


class PalmVeinNet(nn.Module):
    order = ("stem", "blocks.0", "blocks.1", "pool")

    def __init__(self, width=24, ids=20):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, width, 5, padding=2), nn.ReLU())
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.se = SEGate(width)
        self.taps = {"blocks.0": self.se}
        self.embed = nn.Linear(2 * width, ids)

    def forward(self, palm):
        spec = torch.fft.rfft(palm, dim=-1)
        spec[..., -1] = 0
        h = torch.fft.irfft(spec, n=palm.shape[-1], dim=-1)
        for path in self.order:
            h = operator.attrgetter(path)(self)(h)
            tap = self.taps.get(path)
            if tap is not None:
                h = tap(h, palm)
        return self.embed(h.flatten(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PalmVeinNet().eval(), "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
