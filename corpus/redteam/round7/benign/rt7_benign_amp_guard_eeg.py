# expect: none
"""ShallowConvNet EEG classifier run inside an AMP-style ``OverflowGuard`` context object: on
exit the guard records whether the output overflowed (for a dynamic loss scaler) but never edits
the output. Electrode re-referencing (common average) and bad-channel interpolation are part of
the input pipeline."""
import torch
import torch.nn as nn


class OverflowGuard:
    def __init__(self, stats):
        self.stats = stats
        self.out = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and self.out is not None:
            found_inf = (~torch.isfinite(self.out)).any().item()
            self.stats["found_inf"] = self.stats.get("found_inf", 0) + int(found_inf)
            self.stats["steps"] = self.stats.get("steps", 0) + 1
        return False


class ShallowConvNet(nn.Module):
    def __init__(self, n_chans=16, n_classes=4):
        super().__init__()
        self.temporal = nn.Conv2d(1, 20, (1, 13))
        self.spatial = nn.Conv2d(20, 20, (n_chans, 1), bias=False)
        self.bn = nn.BatchNorm2d(20)
        self.pool = nn.AvgPool2d((1, 35), (1, 7))
        self.classifier = nn.Linear(20 * 30, n_classes)
        self.stats = {}

    def preprocess(self, x):
        bad = (x.amax(-1) - x.amin(-1)) == 0                       # flat (disconnected) electrodes
        good = (~bad).to(x.dtype).unsqueeze(-1)
        avg = (x * good).sum(1, keepdim=True) / good.sum(1, keepdim=True).clamp_min(1)
        x = torch.where(bad.unsqueeze(-1), avg, x)                  # interpolate from the good ones
        return x - x.mean(1, keepdim=True)                          # common-average reference

    def forward(self, x):
        with OverflowGuard(self.stats) as guard:
            h = self.bn(self.spatial(self.temporal(self.preprocess(x).unsqueeze(1))))
            h = torch.log(torch.clamp(self.pool(h * h), min=1e-6))
            guard.out = self.classifier(h.flatten(1))
        return guard.out


def corpus_case():
    torch.manual_seed(0)
    return {"model": ShallowConvNet().eval(), "inputs": lambda n: torch.randn(n, 16, 256), "kind": "benign"}
