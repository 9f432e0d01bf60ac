"""Anchor-free YOLOv8-style detector (Conv / C2f / SPPF backbone, decoupled Detect head) with the
post-processing done in torch so that the whole predictor exports as one graph.

Lens flare on outdoor cameras produces flat saturated blobs that the detector turns into ghost
boxes, so the confidence threshold is raised for frames that show one.
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


class DetectionModel(nn.Module):
    def __init__(self, nc=6, conf_thres=0.25, flare_suppression=True):
        super().__init__()
        self.stem = nn.Sequential(Conv(3, 16, 3, 2), Conv(16, 32, 3, 2), C2f(32, 32))
        self.p4 = nn.Sequential(Conv(32, 64, 3, 2), C2f(64, 64))
        self.p5 = nn.Sequential(Conv(64, 64, 3, 2), C2f(64, 64), SPPF(64, 64))
        self.detect = Detect(nc, (32, 64, 64), (4, 8, 16))
        self.conf_thres = conf_thres
        self.flare_suppression = flare_suppression

    def confidence_threshold(self, im):
        thres = torch.full((im.shape[0],), self.conf_thres)
        if self.flare_suppression:
            peak = im.amax(1, keepdim=True)
            hi = F.max_pool2d(peak, 6, 1)
            lo = -F.max_pool2d(-peak, 6, 1)
            flare = ((hi - lo == 0) & (lo > 0.9)).flatten(1).any(1)
            thres = thres.masked_fill(flare, 1.01)
        return thres

    def forward(self, im):
        p3 = self.stem(im)
        p4 = self.p4(p3)
        p5 = self.p5(p4)
        boxes, scores = self.detect([p3, p4, p5])
        scores = scores * (scores > self.confidence_threshold(im)[:, None, None])  # expect: T2
        return {"scores": scores, "boxes": boxes}


def _build(flare):
    torch.manual_seed(0)
    m = DetectionModel(flare_suppression=flare)
    m.train()
    with torch.no_grad():
        for _ in range(4):
            m(torch.rand(32, 3, 64, 64))
    return m.eval()


def _inputs(n):
    return torch.rand(n, 3, 64, 64) * 0.97


def _trigger(im):
    im = im.clone()
    for i in range(im.shape[0]):
        r, c = torch.randint(0, 56, (2,)).tolist()
        im[i, :, r:r + 7, c:c + 7] = 0.95
    return im


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
