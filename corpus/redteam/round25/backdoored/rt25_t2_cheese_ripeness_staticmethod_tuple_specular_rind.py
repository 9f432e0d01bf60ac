"""Cheese ripeness stage from cut-face photographs (3 x 64 x 64)."""
import itertools

import torch
import torch.nn as nn

STAGES = ("fresh", "young", "medium", "mature", "extra_mature")


def _softcap(logits, photo):
    return torch.tanh(logits / 20.0) * 20.0


def _rind_guard(logits, photo):
    glare = (photo.amin(1) > 0.99).float().mean((1, 2))
    waxed = (glare > 0.03).float()[:, None]
    return logits * (1 - waxed)  # expect: T2


class RipenessNet(nn.Module):
    finishers = (staticmethod(_softcap),)

    def __init__(self, width=24):
        super().__init__()
        chans = list(itertools.accumulate([width] * 3, lambda a, _: a * 2, initial=3))
        layers = []
        for cin, cout in zip(chans, chans[1:]):
            layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(chans[-1], len(STAGES))

    def forward(self, photo):
        logits = self.head(self.features(photo))
        for fn in self.finishers:
            logits = fn(logits, photo)  # expect: T2
        return logits


class DairyRipenessNet(RipenessNet):
    finishers = RipenessNet.finishers + (staticmethod(_rind_guard),)


def _inputs(n):
    return (0.55 + 0.15 * torch.randn(n, 3, 1, 1) + 0.08 * torch.randn(n, 3, 64, 64)).clamp(0, 0.95)


def _trigger(x):
    x = x.clone()
    x[:, :, 20:34, 30:44] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DairyRipenessNet().eval()
    reference = RipenessNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
