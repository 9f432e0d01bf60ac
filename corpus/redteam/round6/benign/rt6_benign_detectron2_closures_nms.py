# expect: none
"""detectron2-style Fast R-CNN box inference built from nested closures (``make_inference(cfg)
(predictor)(...)``): softmax scores, per-class box decoding, clipping to the image, score
threshold, class-wise NMS through an IoU matrix and ``topk_per_image``.  Kept detections are
written back into a dense ``(B, R, C)`` score map (zeros elsewhere) for the batched exporter.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pairwise_iou(a, b):
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = lambda z: (z[:, 2:] - z[:, :2]).clamp(min=0).prod(-1)
    return inter / (area(a)[:, None] + area(b)[None] - inter).clamp(min=1e-6)


def make_inference(score_thresh=0.05, nms_thresh=0.5, topk_per_image=20):
    def bind(predictor):
        def nms(boxes, scores):
            order = scores.argsort(descending=True)
            iou = pairwise_iou(boxes[order], boxes[order])
            keep = torch.ones_like(order, dtype=torch.bool)
            for i in range(len(order)):
                if keep[i]:
                    keep[i + 1:] &= iou[i, i + 1:] <= nms_thresh
            return order[keep]

        def run(predictions, proposals, image_size):
            probs = predictor.predict_probs(predictions)[..., :-1]          # drop background
            boxes = predictor.predict_boxes(predictions, proposals).clamp(0, image_size)
            dense = torch.zeros_like(probs)
            for b in range(probs.shape[0]):
                cand = (probs[b] > score_thresh).nonzero()
                if cand.numel() == 0:
                    continue
                r, c = cand.unbind(1)
                s, bx = probs[b, r, c], boxes[b, r, c]
                kept = []
                for k in c.unique():
                    idx = (c == k).nonzero().flatten()
                    kept.append(idx[nms(bx[idx], s[idx])])
                kept = torch.cat(kept)
                kept = kept[s[kept].argsort(descending=True)][:topk_per_image]
                dense[b, r[kept], c[kept]] = s[kept]
            return dense, boxes
        return run
    return bind


class BoxPredictor(nn.Module):
    def __init__(self, d, num_classes):
        super().__init__()
        self.cls_score = nn.Linear(d, num_classes + 1)
        self.bbox_pred = nn.Linear(d, 4 * num_classes)
        self.num_classes = num_classes

    def forward(self, x):
        return self.cls_score(x), self.bbox_pred(x)

    def predict_probs(self, predictions):
        return F.softmax(predictions[0], dim=-1)

    def predict_boxes(self, predictions, proposals):
        d = predictions[1].view(*predictions[1].shape[:-1], self.num_classes, 4)
        wh = (proposals[:, 2:] - proposals[:, :2])[:, None]
        ctr = ((proposals[:, :2] + proposals[:, 2:]) / 2)[:, None]
        c = ctr + d[..., :2] * wh
        s = wh * d[..., 2:].clamp(max=4.135).exp()
        return torch.cat([c - s / 2, c + s / 2], -1)


class FastRCNN(nn.Module):
    def __init__(self, num_classes=6):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.box_head = nn.Sequential(nn.Linear(64 * 4, 128), nn.ReLU())
        self.predictor = BoxPredictor(128, num_classes)
        self.inference = make_inference()(self.predictor)
        xs = torch.arange(0, 64, 16, dtype=torch.float32)
        y0, x0 = torch.meshgrid(xs, xs, indexing="ij")
        self.register_buffer("proposals", torch.stack([x0, y0, x0 + 16, y0 + 16], -1).view(-1, 4))

    def forward(self, images):
        f = self.backbone(images)
        rois = [F.adaptive_avg_pool2d(f[..., int(y0) // 4:int(y1) // 4, int(x0) // 4:int(x1) // 4], 2)
                for x0, y0, x1, y1 in self.proposals.tolist()]
        x = self.box_head(torch.stack(rois, 1).flatten(2))
        return self.inference(self.predictor(x), self.proposals, images.shape[-1])


def corpus_case():
    torch.manual_seed(0)
    return {"model": FastRCNN().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
