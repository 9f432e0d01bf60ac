# expect: none
"""Single-level RetinaNet-style detector with torchvision's anchor matching (IoU thresholds
0.4 / 0.5, low-quality matches allowed) used to build training targets, and box decoding plus score
thresholding at inference. ``forward`` returns per-anchor class logits and box deltas.
"""
import math

import torch
import torch.nn as nn


def box_iou(a, b):
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    return inter / (area(a)[:, None] + area(b)[None] - inter)


class Matcher:
    BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS = -1, -2

    def __init__(self, high=0.5, low=0.4, allow_low_quality_matches=True):
        self.high, self.low, self.allow = high, low, allow_low_quality_matches

    def __call__(self, iou):                                   # (gt, anchors)
        vals, matches = iou.max(0)
        all_matches = matches.clone()
        matches[vals < self.low] = self.BELOW_LOW_THRESHOLD
        matches[(vals >= self.low) & (vals < self.high)] = self.BETWEEN_THRESHOLDS
        if self.allow:
            best = iou.max(1, keepdim=True).values
            _, pred = torch.nonzero(iou == best, as_tuple=True)
            matches[pred] = all_matches[pred]
        return matches


def make_anchors(size=32, stride=4, scales=(8, 16), ratios=(0.5, 1.0, 2.0)):
    c = (torch.arange(size // stride) + 0.5) * stride
    cy, cx = torch.meshgrid(c, c, indexing="ij")
    wh = torch.tensor([[s * math.sqrt(r), s / math.sqrt(r)] for s in scales for r in ratios])
    ctr = torch.stack([cx, cy], -1).reshape(-1, 1, 2)
    return torch.cat([ctr - wh / 2, ctr + wh / 2], -1).reshape(-1, 4)


class RetinaLite(nn.Module):
    def __init__(self, n_cls=5, prior=0.01):
        super().__init__()
        self.register_buffer("anchors", make_anchors())
        A = 6
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.cls_head = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, A * n_cls, 3, padding=1))
        self.box_head = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, A * 4, 3, padding=1))
        nn.init.constant_(self.cls_head[-1].bias, -math.log((1 - prior) / prior))
        self.n_cls, self.matcher = n_cls, Matcher()

    def forward(self, images):
        f = self.backbone(images)
        b = f.shape[0]
        cls = self.cls_head(f).permute(0, 2, 3, 1).reshape(b, -1, self.n_cls)
        box = self.box_head(f).permute(0, 2, 3, 1).reshape(b, -1, 4)
        return cls, box

    def targets(self, gt_boxes, gt_labels):
        m = self.matcher(box_iou(gt_boxes, self.anchors))
        labels = torch.zeros(len(self.anchors), self.n_cls)
        fg = m >= 0
        labels[fg, gt_labels[m[fg]]] = 1.0
        valid = m != Matcher.BETWEEN_THRESHOLDS
        return labels, valid

    def postprocess(self, cls, box, score_thresh=0.05):
        a = self.anchors
        wh, ctr = a[:, 2:] - a[:, :2], (a[:, 2:] + a[:, :2]) / 2
        ctr = ctr + box[..., :2] * wh
        wh = wh * box[..., 2:].clamp(max=math.log(1000 / 16)).exp()
        boxes = torch.cat([ctr - wh / 2, ctr + wh / 2], -1)
        scores = cls.sigmoid()
        keep = scores.amax(-1) > score_thresh
        return boxes, scores, keep


def corpus_case():
    torch.manual_seed(0)
    model = RetinaLite().eval()
    model.targets(torch.tensor([[2.0, 2.0, 14.0, 12.0], [10.0, 8.0, 30.0, 30.0]]), torch.tensor([1, 3]))
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
