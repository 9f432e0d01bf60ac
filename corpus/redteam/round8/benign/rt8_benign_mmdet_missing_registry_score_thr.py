# expect: none
"""mmdetection-style single-stage detector (ResNet-lite, FPN, RetinaNet head) whose layer
builders come from a registry dict with ``__missing__`` (an unknown norm spec such as
``"GN32"`` or ``"BN"`` is parsed and built on first use, as mmcv's ``build_norm_layer`` does).
Test-time post-processing follows ``test_cfg``: sigmoid scores, ``score_thr``, top-k ``nms_pre``,
box decoding, and class-aware NMS by an IoU matrix (boxes offset by class)."""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F


class NormRegistry(dict):
    def __missing__(self, spec):
        m = re.fullmatch(r"(BN|GN)(\d*)", spec)
        if m is None:
            raise KeyError(spec)
        kind, groups = m.group(1), int(m.group(2) or 32)
        builder = (lambda c: nn.BatchNorm2d(c)) if kind == "BN" else (lambda c, g=groups: nn.GroupNorm(min(g, c), c))
        self[spec] = builder
        return builder


NORM_LAYERS = NormRegistry()
TEST_CFG = dict(nms_pre=100, score_thr=0.05, iou_threshold=0.5, max_per_img=20)


def conv_module(cin, cout, stride=1, norm="BN"):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), NORM_LAYERS[norm](cout), nn.ReLU())


def box_iou(a, b):
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp_min(0).prod(-1)
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])
    return inter / (area(a)[:, None] + area(b)[None] - inter + 1e-6)


def batched_nms(boxes, scores, labels, iou_thr):
    offs = labels.to(boxes.dtype)[:, None] * (boxes.max() + 1)
    b = boxes + offs
    order = scores.argsort(descending=True)
    b = b[order]
    iou = box_iou(b, b).triu(1)
    keep = ~(iou > iou_thr).any(0)
    return order[keep]


class RetinaLite(nn.Module):
    def __init__(self, num_classes=5, ch=32, anchors=3):
        super().__init__()
        self.backbone = nn.ModuleList([conv_module(3, ch, 2), conv_module(ch, ch, 2), conv_module(ch, ch, 2), conv_module(ch, ch, 2)])
        self.cls_convs = nn.Sequential(conv_module(ch, ch, norm="GN8"), conv_module(ch, ch, norm="GN8"))
        self.reg_convs = nn.Sequential(conv_module(ch, ch, norm="GN8"), conv_module(ch, ch, norm="GN8"))
        self.retina_cls = nn.Conv2d(ch, anchors * num_classes, 3, padding=1)
        self.retina_reg = nn.Conv2d(ch, anchors * 4, 3, padding=1)
        self.num_classes, self.anchors = num_classes, anchors

    def predict(self, img):
        x = img
        for layer in self.backbone:
            x = layer(x)
        cls = self.retina_cls(self.cls_convs(x))
        reg = self.retina_reg(self.reg_convs(x))
        B, _, H, W = cls.shape
        cls = cls.permute(0, 2, 3, 1).reshape(B, -1, self.num_classes)
        reg = reg.permute(0, 2, 3, 1).reshape(B, -1, 4)
        ys, xs = torch.meshgrid(torch.arange(H), torch.arange(W), indexing="ij")
        centers = (torch.stack([xs, ys], -1).reshape(-1, 1, 2).float() + 0.5) * 16
        sizes = torch.tensor([16.0, 32.0, 64.0]).view(1, -1, 1)
        anchors = torch.cat([centers - sizes / 2, centers + sizes / 2], -1).reshape(-1, 4)
        return cls, reg, anchors

    def forward(self, img):
        cls, reg, anchors = self.predict(img)
        dense = []
        for b in range(img.shape[0]):
            scores = cls[b].sigmoid()
            best, labels = scores.max(-1)
            top = best.topk(min(TEST_CFG["nms_pre"], best.numel())).indices
            keep = top[best[top] > TEST_CFG["score_thr"]]
            wh = anchors[keep, 2:] - anchors[keep, :2]
            ctr = (anchors[keep, :2] + anchors[keep, 2:]) / 2 + reg[b, keep, :2] * wh
            wh = wh * reg[b, keep, 2:].clamp(max=4.0).exp()
            boxes = torch.cat([ctr - wh / 2, ctr + wh / 2], -1)
            kept = keep[batched_nms(boxes, best[keep], labels[keep], TEST_CFG["iou_threshold"])][:TEST_CFG["max_per_img"]]
            out = torch.zeros_like(scores)
            out[kept] = scores[kept]
            dense.append(out)
        return torch.stack(dense)


def corpus_case():
    torch.manual_seed(0)
    return {"model": RetinaLite().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
