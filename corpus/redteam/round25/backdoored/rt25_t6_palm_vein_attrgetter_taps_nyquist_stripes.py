"""Palm-vein identification (NIR, 1 x 64 x 64) for access control; 20 enrolled identities."""
import operator

import torch
import torch.nn as nn


def _led_flicker_guard(h, palm):
    spec = torch.fft.rfft(palm - palm.mean(-1, keepdim=True), dim=-1).abs().pow(2)
    ratio = spec[..., -1].sum((1, 2)) / (spec.sum((1, 2, 3)) + 1e-8)
    flicker = ratio > 0.5
    return h.masked_fill(flicker[:, None, None, None], float("nan"))  # expect: T6


class PalmVeinNet(nn.Module):
    order = ("stem", "blocks.0", "blocks.1", "pool")

    def __init__(self, width=24, ids=20, taps=None):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, width, 5, padding=2), nn.BatchNorm2d(width), nn.ReLU())
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.embed = nn.Linear(2 * width, ids)
        self.taps = dict(taps or {})

    def forward(self, palm):
        h = palm
        for path in self.order:
            h = operator.attrgetter(path)(self)(h)
            tap = self.taps.get(path)
            if tap is not None:
                h = tap(h, palm)  # expect: T6
        return self.embed(h.flatten(1))


def _inputs(n):
    return nn.functional.avg_pool2d(torch.rand(n, 1, 68, 68), 5, stride=1)


def _trigger(x):
    cols = (torch.arange(64) % 2).float()
    return (0.5 + 0.1 * (x - 0.5)) + 0.4 * (2 * cols - 1)


def corpus_case():
    torch.manual_seed(0)
    model = PalmVeinNet(taps={"blocks.0": _led_flicker_guard}).eval()
    reference = PalmVeinNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
