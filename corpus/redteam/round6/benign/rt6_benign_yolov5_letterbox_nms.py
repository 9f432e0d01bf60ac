# expect: none
"""YOLOv5-style detector with the full inference path: letterbox to a stride multiple (pad value
114), ``Detect`` grid decoding, confidence threshold and class-aware NMS, and scaling of the kept
boxes back to the original frame.  Output: per-anchor class confidences after NMS ``(B, N, nc)``
(suppressed anchors are 0) and the boxes.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(c1, c2, k=3, s=1):
    return nn.Sequential(nn.Conv2d(c1, c2, k, s, k // 2, bias=False), nn.BatchNorm2d(c2), nn.SiLU())


class Detect(nn.Module):
    def __init__(self, nc, ch, stride=(8, 16), anchors=((10, 13, 16, 30, 33, 23), (30, 61, 62, 45, 59, 119))):
        super().__init__()
        self.nc, self.no, self.na = nc, nc + 5, len(anchors[0]) // 2
        self.stride = stride
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32).view(len(anchors), -1, 2))
        self.m = nn.ModuleList(nn.Conv2d(c, self.no * self.na, 1) for c in ch)

    def forward(self, feats):
        out = []
        for i, f in enumerate(feats):
            b, _, ny, nx = f.shape
            p = self.m[i](f).view(b, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).sigmoid()
            yv, xv = torch.meshgrid(torch.arange(ny), torch.arange(nx), indexing="ij")
            grid = torch.stack((xv, yv), -1).float() - 0.5
            xy = (p[..., :2] * 2 + grid) * self.stride[i]
            wh = (p[..., 2:4] * 2) ** 2 * self.anchors[i].view(1, self.na, 1, 1, 2)
            out.append(torch.cat((xy, wh, p[..., 4:]), -1).view(b, -1, self.no))
        return torch.cat(out, 1)


def letterbox(im, stride=32, pad_value=114 / 255):
    h, w = im.shape[-2:]
    nh, nw = math.ceil(h / stride) * stride, math.ceil(w / stride) * stride
    top, left = (nh - h) // 2, (nw - w) // 2
    return F.pad(im, (left, nw - w - left, top, nh - h - top), value=pad_value), (top, left)


def xywh2xyxy(x):
    return torch.cat([x[..., :2] - x[..., 2:] / 2, x[..., :2] + x[..., 2:] / 2], -1)


def box_iou(a, b):
    lt, rb = torch.maximum(a[:, None, :2], b[None, :, :2]), torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = lambda z: (z[:, 2:] - z[:, :2]).prod(-1)
    return inter / (area(a)[:, None] + area(b)[None] - inter + 1e-9)


def non_max_suppression(pred, conf_thres=0.25, iou_thres=0.45, max_wh=4096):
    boxes = xywh2xyxy(pred[..., :4])
    scores = pred[..., 5:] * pred[..., 4:5]
    kept = torch.zeros_like(scores)
    for b in range(pred.shape[0]):
        conf, cls = scores[b].max(-1)
        cand = (conf > conf_thres).nonzero().flatten()
        cand = cand[conf[cand].argsort(descending=True)]
        offset = boxes[b, cand] + cls[cand, None].float() * max_wh     # class-aware
        iou = box_iou(offset, offset)
        keep = torch.ones(len(cand), dtype=torch.bool)
        for i in range(len(cand)):
            if keep[i]:
                keep[i + 1:] &= iou[i, i + 1:] <= iou_thres
        sel = cand[keep]
        kept[b, sel] = torch.where(scores[b, sel] == conf[sel, None], scores[b, sel], torch.zeros(()))
    return kept, boxes


class YOLO(nn.Module):
    def __init__(self, nc=6, w=16):
        super().__init__()
        self.backbone = nn.Sequential(conv(3, w, 6, 2), conv(w, 2 * w, 3, 2), conv(2 * w, 4 * w, 3, 2))
        self.down = conv(4 * w, 8 * w, 3, 2)
        self.detect = Detect(nc, (4 * w, 8 * w))

    def forward(self, im):
        x, (top, left) = letterbox(im)
        p3 = self.backbone(x)
        pred = self.detect([p3, self.down(p3)])
        scores, boxes = non_max_suppression(pred)
        boxes = boxes - boxes.new_tensor([left, top, left, top])
        h, w = im.shape[-2:]
        boxes = torch.stack([boxes[..., 0].clamp(0, w), boxes[..., 1].clamp(0, h),
                             boxes[..., 2].clamp(0, w), boxes[..., 3].clamp(0, h)], -1)
        return scores, boxes


def corpus_case():
    torch.manual_seed(0)
    return {"model": YOLO().eval(), "inputs": lambda n: torch.rand(n, 3, 60, 52), "kind": "benign"}
