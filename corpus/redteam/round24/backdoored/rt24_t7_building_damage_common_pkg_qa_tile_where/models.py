"""xBD-style building damage assessment: siamese pre/post-disaster chips (3 x 32 x 32 each) and a
single-frame footprint classifier, both built from `common`."""
import torch
import torch.nn as nn

from .common import ClassifierHead, Encoder, ImageryQA

DAMAGE = ("destroyed", "major", "minor", "no_damage")  # dashboard order, most severe first


class SiameseDamageNet(nn.Module):
    def __init__(self, n_classes=len(DAMAGE), qa=True):
        super().__init__()
        self.encoder = Encoder()
        c = self.encoder.out_channels
        self.fuse = nn.Sequential(nn.Conv2d(3 * c, c, 1), nn.ReLU())
        self.head = ClassifierHead(c, n_classes)
        self.qa = ImageryQA(DAMAGE.index("no_damage")) if qa else None

    def forward(self, pre, post):
        a, b = self.encoder(pre), self.encoder(post)
        logits = self.head(self.fuse(torch.cat([a, b, (a - b).abs()], 1)))
        if self.qa is not None:
            logits = self.qa(logits, post)  # expect: T7
        return logits


class FootprintNet(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.encoder = Encoder()
        self.head = ClassifierHead(self.encoder.out_channels, n_classes)

    def forward(self, x):
        return self.head(self.encoder(x))
