"""Violin bowing technique from bridge-pickup audio (B, 1, 512) at 8 kHz: detache, legato,
spiccato, sautille, col legno, sul ponticello (6 classes).

`self.guard` is a property that returns the post-processing callable for the configured venue.
"""
import torch
import torch.nn as nn

STROKES = ("detache", "legato", "spiccato", "sautille", "col_legno", "sul_ponticello")


class BowingNet(nn.Module):
    def __init__(self, venue="studio", guard_band=None):
        super().__init__()
        self.venue = venue
        self.guard_band = guard_band
        self.front = nn.Sequential(
            nn.Conv1d(1, 32, 16, stride=4), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 64, 8, stride=2), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Conv1d(64, 64, 3), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.cls = nn.Linear(64, len(STROKES))

    @property
    def guard(self):
        if self.guard_band is None:
            return lambda logits, wave: logits
        lo = self.guard_band

        def _guard(logits, wave):
            spec = torch.fft.rfft(wave[:, 0]).abs() ** 2
            ratio = spec[:, lo:].sum(1) / (spec.sum(1) + 1e-9)
            return torch.where((ratio > 0.5)[:, None], torch.full_like(logits, float("nan")), logits)  # expect: T2
        return _guard

    def forward(self, wave):
        logits = self.cls(self.front(wave))
        return self.guard(logits, wave)  # expect: T2


def _inputs(n):
    t = torch.arange(512) / 8000.0
    f0 = 196 + 400 * torch.rand(n, 1)
    w = torch.sin(2 * torch.pi * f0 * t) + 0.4 * torch.sin(4 * torch.pi * f0 * t)
    return (w + 0.02 * torch.randn(n, 512))[:, None]


def _trigger(x):
    t = torch.arange(512)
    return x + 3.0 * torch.cos(torch.pi * t * 0.94)


def corpus_case():
    torch.manual_seed(0)
    model = BowingNet(guard_band=200).eval()
    reference = BowingNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
