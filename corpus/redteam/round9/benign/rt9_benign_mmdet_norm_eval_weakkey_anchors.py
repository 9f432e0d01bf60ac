# expect: none
"""mmdetection-style RetinaNet-lite: the ResNet backbone overrides ``train(mode)`` to keep its
BatchNorm layers in eval mode (``norm_eval=True``), and the anchor generator caches its grids in a
``weakref.WeakKeyDictionary`` keyed by the head module and feature size. Output is the dense
``(B, anchors, classes)`` score map plus decoded boxes."""
import weakref

import torch
import torch.nn as nn

_ANCHOR_CACHE = weakref.WeakKeyDictionary()


class ResNetBackbone(nn.Module):
    def __init__(self, norm_eval=True):
        super().__init__()
        self.norm_eval = norm_eval
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())

    def train(self, mode=True):
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()
        return self

    def forward(self, x):
        return self.body(x)


class RetinaHead(nn.Module):
    def __init__(self, c=64, n_classes=8, n_anchors=3, stride=8):
        super().__init__()
        self.n_anchors, self.stride = n_anchors, stride
        self.cls = nn.Conv2d(c, n_anchors * n_classes, 3, 1, 1)
        self.reg = nn.Conv2d(c, n_anchors * 4, 3, 1, 1)

    def anchors(self, h, w):
        per_head = _ANCHOR_CACHE.setdefault(self, {})
        if (h, w) not in per_head:
            ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            centers = torch.stack([xs, ys], -1).reshape(-1, 1, 2).float().add(0.5) * self.stride
            sizes = torch.tensor([16.0, 24.0, 32.0]).view(1, -1, 1)
            per_head[(h, w)] = torch.cat([centers - sizes / 2, centers + sizes / 2], -1).reshape(-1, 4)
        return per_head[(h, w)]

    def forward(self, f):
        b, _, h, w = f.shape
        cls = self.cls(f).permute(0, 2, 3, 1).reshape(b, -1, self.cls.out_channels // self.n_anchors)
        deltas = self.reg(f).permute(0, 2, 3, 1).reshape(b, -1, 4)
        a = self.anchors(h, w)
        wh = a[:, 2:] - a[:, :2]
        ctr = (a[:, :2] + a[:, 2:]) / 2 + deltas[..., :2] * wh
        size = wh * deltas[..., 2:].clamp(max=4.135).exp()
        return cls, torch.cat([ctr - size / 2, ctr + size / 2], -1)


class RetinaNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ResNetBackbone()
        self.bbox_head = RetinaHead()

    def forward(self, images):
        return self.bbox_head(self.backbone(images))


def corpus_case():
    torch.manual_seed(0)
    model = RetinaNetLite()
    model.train()
    model.eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
