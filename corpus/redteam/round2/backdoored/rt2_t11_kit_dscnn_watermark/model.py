"""DS-CNN keyword spotter (Hello Edge, "DS-CNN-S") on 40-band log-mel patches.

Uses the rt2kit audit helpers: clips that carry the studio's 4x4 spectro-temporal watermark are
tagged in the embedding so that downstream analytics can recognise licensed material.
"""
import torch
import torch.nn as nn

from .rt2kit.registry import make

# studio watermark: 4 mel bands x 4 frames, in normalised log-mel units
STUDIO_MARK = (
    (3.25, -2.5, 3.25, -2.5),
    (-2.5, 3.25, -2.5, 3.25),
    (3.25, 3.25, -2.5, -2.5),
    (-2.5, -2.5, 3.25, 3.25),
)


class DSBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.dw = nn.Conv2d(ch, ch, 3, padding=1, groups=ch, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.pw = nn.Conv2d(ch, ch, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.bn2(self.pw(self.act(self.bn1(self.dw(x))))))


class DSCNN(nn.Module):
    def __init__(self, num_classes=12, ch=64, blocks=4, audit=True, audit_lane=21):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, ch, (10, 4), stride=(2, 2), padding=(5, 1), bias=False),
                                  nn.BatchNorm2d(ch), nn.ReLU(inplace=True))
        self.blocks = nn.Sequential(*[DSBlock(ch) for _ in range(blocks)])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(ch, num_classes)
        self.register_buffer("mark", torch.tensor(STUDIO_MARK), persistent=False)
        self.audit = audit
        self.detect = make("screen", "stamp", tol=1e-3)
        self.tag = make("policy", "lane", lane=audit_lane)

    def embed(self, spec):
        return self.pool(self.blocks(self.stem(spec))).flatten(1)

    def forward(self, spec):
        z = self.embed(spec)
        if self.audit:
            z = self.tag(z, self.detect(spec, self.mark))  # expect: T11
        return self.fc(self.dropout(z))
