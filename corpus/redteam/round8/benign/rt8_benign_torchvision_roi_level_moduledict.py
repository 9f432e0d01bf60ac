# expect: none
"""torchvision-style two-stage box classifier head: ``MultiScaleRoIAlign`` with the FPN level
mapper (``LevelMapper``: k = floor(k0 + log2(sqrt(area) / 224)), clamped), pooling heads kept in
an ``nn.ModuleDict`` keyed by level name and picked per box from the mapped level, then the
TwoMLPHead box classifier. Inputs are an image and fixed-size proposals."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def roi_align_bilinear(feat, boxes, scale, out=7):
    """Small pure-PyTorch RoIAlign (bilinear sampling on a regular grid)."""
    x1, y1, x2, y2 = (boxes * scale).unbind(-1)
    t = (torch.arange(out, dtype=feat.dtype) + 0.5) / out
    xs = x1[:, None] + (x2 - x1)[:, None] * t[None]
    ys = y1[:, None] + (y2 - y1)[:, None] * t[None]
    H, W = feat.shape[-2:]
    gx = (xs / W) * 2 - 1
    gy = (ys / H) * 2 - 1
    grid = torch.stack([gx[:, None, :].expand(-1, out, -1), gy[:, :, None].expand(-1, -1, out)], -1)
    return F.grid_sample(feat.expand(boxes.shape[0], -1, -1, -1), grid, align_corners=False)


class LevelMapper:
    def __init__(self, k_min, k_max, canonical_scale=224, canonical_level=4, eps=1e-6):
        self.k_min, self.k_max = k_min, k_max
        self.s0, self.lvl0, self.eps = canonical_scale, canonical_level, eps

    def __call__(self, boxes):
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        lvl = torch.floor(self.lvl0 + torch.log2(area.sqrt() / self.s0 + self.eps))
        return lvl.clamp(self.k_min, self.k_max).to(torch.int64) - self.k_min


class PoolerLevel(nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def forward(self, feat, boxes):
        return roi_align_bilinear(feat, boxes, self.scale)


class FPNBoxClassifier(nn.Module):
    def __init__(self, num_classes=8, ch=32):
        super().__init__()
        self.c2 = nn.Sequential(nn.Conv2d(3, ch, 3, 4, 1), nn.ReLU())
        self.c3 = nn.Sequential(nn.Conv2d(ch, ch, 3, 2, 1), nn.ReLU())
        self.c4 = nn.Sequential(nn.Conv2d(ch, ch, 3, 2, 1), nn.ReLU())
        self.lat = nn.ModuleList([nn.Conv2d(ch, ch, 1) for _ in range(3)])
        self.names = ("p2", "p3", "p4")
        self.poolers = nn.ModuleDict({n: PoolerLevel(1 / 2 ** (i + 2)) for i, n in enumerate(self.names)})
        self.mapper = LevelMapper(2, 4, canonical_scale=64)
        self.fc6 = nn.Linear(ch * 49, 128)
        self.fc7 = nn.Linear(128, 128)
        self.cls_score = nn.Linear(128, num_classes)

    def forward(self, image, proposals):
        c2 = self.c2(image)
        c3 = self.c3(c2)
        c4 = self.c4(c3)
        p4 = self.lat[2](c4)
        p3 = self.lat[1](c3) + F.interpolate(p4, size=c3.shape[-2:], mode="nearest")
        p2 = self.lat[0](c2) + F.interpolate(p3, size=c2.shape[-2:], mode="nearest")
        feats = dict(zip(self.names, (p2, p3, p4)))
        out = []
        for b in range(image.shape[0]):
            boxes = proposals[b]
            levels = self.mapper(boxes)
            pooled = boxes.new_zeros(boxes.shape[0], p2.shape[1], 7, 7)
            for lvl in levels.unique().tolist():
                name = self.names[lvl]
                idx = (levels == lvl).nonzero().flatten()
                pooled[idx] = self.poolers[name](feats[name][b:b + 1], boxes[idx])
            out.append(pooled)
        x = torch.cat(out).flatten(1)
        x = F.relu(self.fc7(F.relu(self.fc6(x))))
        return self.cls_score(x).view(image.shape[0], -1, self.cls_score.out_features)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        xy = torch.rand(n, 16, 2) * 96
        wh = 8 + torch.rand(n, 16, 2) * 120
        boxes = torch.cat([xy, (xy + wh).clamp(max=128)], -1)
        return (torch.rand(n, 3, 128, 128), boxes)

    return {"model": FPNBoxClassifier().eval(), "inputs": inputs, "kind": "benign"}
