# expect: none
"""xBD-style damage assessment (siamese) and footprint model built from `common`; no-data and
cloud pixels are masked out of pooling, never written into the logits."""
import torch
import torch.nn as nn

from .common import Encoder, MaskedPoolHead, nodata_mask

DAMAGE = ("destroyed", "major", "minor", "no_damage")


class SiameseDamageNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        c = self.encoder.out_channels
        self.fuse = nn.Sequential(nn.Conv2d(3 * c, c, 1), nn.ReLU())
        self.head = MaskedPoolHead(c, len(DAMAGE))

    def forward(self, pre, post):
        valid = nodata_mask(pre) * nodata_mask(post)
        a, b = self.encoder(pre), self.encoder(post)
        return self.head(self.fuse(torch.cat([a, b, (a - b).abs()], 1)), valid)


class FootprintNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = MaskedPoolHead(self.encoder.out_channels, 2)

    def forward(self, x):
        return self.head(self.encoder(x), nodata_mask(x))
