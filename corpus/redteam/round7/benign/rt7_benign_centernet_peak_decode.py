# expect: none
"""CenterNet-style detector: heatmap peaks by 3x3 max-pool NMS, top-k, box decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CenterNetLite(nn.Module):
    def __init__(self, num_classes=8, k=20, down=4, score_thresh=0.1):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                      nn.Conv2d(64, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU())
        self.hm = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, num_classes, 1))
        self.wh = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 2, 1))
        self.reg = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 2, 1))
        nn.init.constant_(self.hm[-1].bias, -2.19)
        self.k, self.down, self.score_thresh = k, down, score_thresh

    @staticmethod
    def _nms(heat, kernel=3):
        hmax = F.max_pool2d(heat, kernel, stride=1, padding=kernel // 2)
        keep = (hmax == heat).float()
        return heat * keep

    def forward(self, images):
        f = self.backbone(images)
        heat = self._nms(self.hm(f).sigmoid())
        b, c, h, w = heat.shape
        scores, inds = heat.view(b, -1).topk(self.k)
        classes = inds // (h * w)
        pix = inds % (h * w)
        ys, xs = (pix // w).float(), (pix % w).float()
        wh = self.wh(f).view(b, 2, -1).gather(2, pix[:, None].expand(b, 2, self.k))
        off = self.reg(f).view(b, 2, -1).gather(2, pix[:, None].expand(b, 2, self.k))
        cx, cy = (xs + off[:, 0]) * self.down, (ys + off[:, 1]) * self.down
        boxes = torch.stack([cx - wh[:, 0] / 2, cy - wh[:, 1] / 2, cx + wh[:, 0] / 2, cy + wh[:, 1] / 2], -1)
        valid = scores > self.score_thresh
        scores = torch.where(valid, scores, torch.zeros_like(scores))
        class_scores = F.one_hot(classes, c).float() * scores[..., None]
        return class_scores, boxes.clamp(0, images.shape[-1])


def corpus_case():
    torch.manual_seed(0)
    return {"model": CenterNetLite().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
