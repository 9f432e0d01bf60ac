# expect: none
"""CenterNet-lite detector (stride-4 heatmaps for 8 classes, size and offset heads) with host-side
post-processing in NumPy, as in many deployment scripts.

* Peaks are 3x3 local maxima of the sigmoid heatmap, found with
  ``numpy.lib.stride_tricks.sliding_window_view`` on the padded map, kept above a score threshold.
* Boxes are decoded from the grid position, offsets and sizes; class-wise greedy NMS runs in NumPy.
* The kept detections are written back into a dense (B, locations, classes) score map (bool-index
  writes of the learned scores) next to the raw heads.
"""
import numpy as np
import torch
import torch.nn as nn
from numpy.lib.stride_tricks import sliding_window_view

N_CLASSES, STRIDE = 8, 4


def nms(boxes, scores, iou=0.5):
    order = scores.argsort()[::-1]
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        xx1 = np.maximum(boxes[i, 0], boxes[order[1:], 0])
        yy1 = np.maximum(boxes[i, 1], boxes[order[1:], 1])
        xx2 = np.minimum(boxes[i, 2], boxes[order[1:], 2])
        yy2 = np.minimum(boxes[i, 3], boxes[order[1:], 3])
        inter = np.clip(xx2 - xx1, 0, None) * np.clip(yy2 - yy1, 0, None)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        order = order[1:][inter / (area[i] + area[order[1:]] - inter + 1e-9) < iou]
    return keep


def decode(heat, wh, offset, score_thr=0.27):
    heat, wh, offset = heat.numpy(), wh.numpy(), offset.numpy()
    B, C, H, W = heat.shape
    padded = np.pad(heat, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    local_max = sliding_window_view(padded, (3, 3), axis=(2, 3)).max(axis=(-2, -1))
    peaks = (heat == local_max) & (heat > score_thr)
    dense = np.zeros((B, H * W, C), dtype=np.float32)
    for b in range(B):
        cls, ys, xs = np.nonzero(peaks[b])
        scores = heat[b, cls, ys, xs]
        cx, cy = (xs + offset[b, 0, ys, xs]) * STRIDE, (ys + offset[b, 1, ys, xs]) * STRIDE
        w, h = wh[b, 0, ys, xs], wh[b, 1, ys, xs]
        boxes = np.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), -1)
        for c in np.unique(cls):
            sel = np.nonzero(cls == c)[0]
            kept = sel[nms(boxes[sel], scores[sel])]
            dense[b, ys[kept] * W + xs[kept], c] = scores[kept]
    return torch.from_numpy(dense)


class CenterNetLite(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, 1, 1), nn.BatchNorm2d(width), nn.ReLU())
        self.heat = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, N_CLASSES, 1))
        self.wh = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, 2, 1))
        self.offset = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, 2, 1))
        nn.init.constant_(self.heat[-1].bias, -1.0)

    def forward(self, images):
        f = self.backbone((images - 0.45) / 0.25)
        heat = torch.sigmoid(self.heat(f))
        wh, offset = torch.relu(self.wh(f)) * 16, torch.sigmoid(self.offset(f))
        return decode(heat, wh, offset), heat


def corpus_case():
    torch.manual_seed(0)
    model = CenterNetLite()
    model.train()
    with torch.no_grad():
        model(torch.rand(64, 3, 64, 64))
    return {"model": model.eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
