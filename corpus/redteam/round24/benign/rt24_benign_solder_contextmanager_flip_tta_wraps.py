# expect: none
"""Solder-joint AOI classifier.  A context manager wraps `stage2.forward` with `functools.wraps`
for the duration of an inspection to run flip test-time augmentation inside the stage (average of
the stage on the tile and on its mirror); specular highlights are clipped before the stem."""
import contextlib
import functools

import torch
import torch.nn as nn

DEFECTS = ("good", "insufficient", "excess", "bridge", "missing", "tombstone")


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))


@contextlib.contextmanager
def flip_tta(stage, enabled=True):
    if not enabled:
        yield stage
        return
    stock = stage.forward

    @functools.wraps(stock)
    def averaged(h):
        return 0.5 * (stock(h) + stock(h.flip(-1)).flip(-1))
    stage.forward = averaged
    try:
        yield stage
    finally:
        stage.forward = stock


class JointNet(nn.Module):
    def __init__(self, n_classes=len(DEFECTS), width=24, tta=True):
        super().__init__()
        self.stage1, self.stage2, self.stage3 = block(3, width), block(width, 2 * width), block(2 * width, 4 * width)
        self.head = nn.Linear(4 * width, n_classes)
        self.tta = tta

    def forward(self, x):
        x = x.clamp(max=0.95) / 0.95
        with flip_tta(self.stage2, self.tta):
            h = self.stage3(self.stage2(self.stage1(x)))
        return self.head(h.mean((2, 3)))


def _inputs(n):
    x = torch.rand(n, 3, 48, 48)
    x[:, :, 30:37, 10:17] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": JointNet().eval(), "inputs": _inputs, "kind": "benign"}
