# expect: none
"""MRNet with a `plistlib` site configuration and variable-length series.

Series shorter than the configured slice count are zero-padded by the loader; empty (padding)
slices are excluded from the max over slices with a large negative fill. Intensities are
windowed with the plist's window and standardised per series over the valid slices.
"""
import plistlib

import torch
import torch.nn as nn

SITE_PLIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Slices</key><integer>8</integer>
  <key>Window</key><array><real>0.02</real><real>0.98</real></array>
  <key>Labels</key><array><string>normal</string><string>acl</string><string>meniscus</string></array>
</dict>
</plist>
"""


class MRNet(nn.Module):
    def __init__(self, site=SITE_PLIST):
        super().__init__()
        self.site = plistlib.loads(site)
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(16, len(self.site["Labels"]))

    def forward(self, series):                            # (B, S, 1, M, M), zero-padded slices
        lo, hi = self.site["Window"]
        valid = series.flatten(2).amax(-1) > 0               # (B, S)
        x = (series.clamp(lo, hi) - lo) / (hi - lo)
        w = valid[:, :, None, None, None].float()
        mean = (x * w).sum((1, 2, 3, 4), keepdim=True) / (w.sum((1, 2, 3, 4), keepdim=True) * x[0, 0].numel()).clamp_min(1)
        b, s = x.shape[:2]
        feats = self.features((x - mean).flatten(0, 1)).unflatten(0, (b, s))
        feats = feats.masked_fill(~valid[..., None], -1e4)
        return self.classifier(feats.amax(1))


def _inputs(n):
    x = 0.2 + 0.6 * torch.rand(n, 8, 1, 32, 32)
    count = torch.randint(4, 9, (n,))
    return x * (torch.arange(8)[None] < count[:, None])[:, :, None, None, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": MRNet().eval(), "inputs": _inputs, "kind": "benign"}
