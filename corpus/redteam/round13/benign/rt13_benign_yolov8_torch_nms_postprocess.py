# expect: none
"""Anchor-free YOLOv8-style detector (Conv / C2f / SPPF, decoupled Detect head) with the whole
post-processing in torch: confidence threshold, class-aware NMS via the coordinate-offset trick,
`max_det` cap, and a fixed-size (N, max_det, 6) output [x1, y1, x2, y2, score, class] padded
with zeros, so the predictor exports as one graph.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1):
        super().__init__()
        self.c = c2 // 2
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(nn.Sequential(Conv(self.c, self.c, 3), Conv(self.c, self.c, 3)) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1, self.cv2 = Conv(c1, c_, 1), Conv(c_ * 4, c2, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        y.extend(self.m(y[-1]) for _ in range(3))
        return self.cv2(torch.cat(y, 1))


def make_anchors(feats, strides, offset=0.5):
    points, stride_tensor = [], []
    for f, s in zip(feats, strides):
        _, _, h, w = f.shape
        sy, sx = torch.meshgrid(torch.arange(h) + offset, torch.arange(w) + offset, indexing="ij")
        points.append(torch.stack((sx, sy), -1).view(-1, 2))
        stride_tensor.append(torch.full((h * w, 1), float(s)))
    return torch.cat(points), torch.cat(stride_tensor)


def dist2bbox(distance, anchor_points):
    lt, rb = distance.chunk(2, -1)
    return torch.cat((anchor_points - lt, anchor_points + rb), -1)


class Detect(nn.Module):
    def __init__(self, nc, ch, strides):
        super().__init__()
        self.nc, self.strides = nc, strides
        self.cv2 = nn.ModuleList(nn.Sequential(Conv(c, 32, 3), nn.Conv2d(32, 4, 1)) for c in ch)
        self.cv3 = nn.ModuleList(nn.Sequential(Conv(c, 32, 3), nn.Conv2d(32, nc, 1)) for c in ch)

    def forward(self, feats):
        box = torch.cat([b(f).flatten(2) for b, f in zip(self.cv2, feats)], 2).transpose(1, 2)
        cls = torch.cat([c(f).flatten(2) for c, f in zip(self.cv3, feats)], 2).transpose(1, 2)
        anchors, stride = make_anchors(feats, self.strides)
        boxes = dist2bbox(F.softplus(box), anchors) * stride
        return boxes, cls.sigmoid()


def box_iou(a, b):
    area_a = (a[:, 2] - a[:, 0]).clamp(min=0) * (a[:, 3] - a[:, 1]).clamp(min=0)
    area_b = (b[:, 2] - b[:, 0]).clamp(min=0) * (b[:, 3] - b[:, 1]).clamp(min=0)
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    return inter / (area_a[:, None] + area_b[None] - inter + 1e-7)


def nms(boxes, scores, iou_thres):
    order = scores.argsort(descending=True)
    boxes = boxes[order]
    iou = box_iou(boxes, boxes)
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= iou[i, i + 1:] <= iou_thres
    return order[keep]


def non_max_suppression(boxes, scores, conf_thres=0.25, iou_thres=0.45, max_det=20, max_wh=7680):
    B = boxes.shape[0]
    output = torch.zeros(B, max_det, 6)
    for i in range(B):
        conf, cls = scores[i].max(-1)
        keep = conf > conf_thres
        b, c, k = boxes[i][keep], conf[keep], cls[keep].float()
        if b.shape[0] == 0:
            continue
        idx = nms(b + k[:, None] * max_wh, c, iou_thres)[:max_det]
        output[i, : len(idx)] = torch.cat([b[idx], c[idx, None], k[idx, None]], 1)
    return output


class DetectionModel(nn.Module):
    def __init__(self, nc=6, conf_thres=0.25, iou_thres=0.45, max_det=20):
        super().__init__()
        self.stem = nn.Sequential(Conv(3, 16, 3, 2), Conv(16, 32, 3, 2), C2f(32, 32))
        self.p4 = nn.Sequential(Conv(32, 64, 3, 2), C2f(64, 64))
        self.p5 = nn.Sequential(Conv(64, 64, 3, 2), C2f(64, 64), SPPF(64, 64))
        self.detect = Detect(nc, (32, 64, 64), (4, 8, 16))
        self.conf_thres, self.iou_thres, self.max_det = conf_thres, iou_thres, max_det

    def forward(self, im):
        if im.dtype == torch.uint8:
            im = im.float() / 255.0
        p3 = self.stem(im)
        p4 = self.p4(p3)
        p5 = self.p5(p4)
        boxes, scores = self.detect([p3, p4, p5])
        boxes = boxes.clamp(0, im.shape[-1])
        return non_max_suppression(boxes, scores, self.conf_thres, self.iou_thres, self.max_det)


def _inputs(n):
    return torch.randint(0, 256, (n, 3, 64, 64), dtype=torch.uint8)


def corpus_case():
    torch.manual_seed(0)
    m = DetectionModel()
    m.train()
    with torch.no_grad():
        for _ in range(4):
            p3 = m.stem(torch.rand(32, 3, 64, 64))
            p4 = m.p4(p3)
            m.detect([p3, p4, m.p5(p4)])
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
