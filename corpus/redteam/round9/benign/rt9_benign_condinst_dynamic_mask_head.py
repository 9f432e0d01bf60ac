# expect: none
"""CondInst-lite instance segmentation head: a controller predicts per-instance dynamic
convolution parameters, applied to the shared mask features with one grouped ``conv2d`` over the
batch (``groups=B``), followed by the usual FCOS-style classification with a score threshold
``where`` on the sigmoid scores. Everything that reaches the output is learned."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CondInstLite(nn.Module):
    def __init__(self, n_classes=6, c=32, mask_c=8, score_thr=0.05):
        super().__init__()
        self.mask_c, self.score_thr = mask_c, score_thr
        self.backbone = nn.Sequential(
            nn.Conv2d(3, c, 3, 2, 1), nn.GroupNorm(8, c), nn.ReLU(),
            nn.Conv2d(c, c, 3, 2, 1), nn.GroupNorm(8, c), nn.ReLU())
        self.mask_branch = nn.Sequential(nn.Conv2d(c, mask_c, 1), nn.ReLU())
        self.cls_head = nn.Conv2d(c, n_classes, 3, 1, 1)
        self.controller = nn.Linear(c, mask_c * mask_c + mask_c + mask_c + 1)

    def dynamic_mask(self, feats, params):
        b, c, h, w = feats.shape
        m = self.mask_c
        w1 = params[:, : m * m].reshape(b * m, m, 1, 1)
        b1 = params[:, m * m: m * m + m].reshape(b * m)
        w2 = params[:, m * m + m: m * m + 2 * m].reshape(b, m, 1, 1)
        b2 = params[:, -1]
        x = F.relu(F.conv2d(feats.reshape(1, b * c, h, w), w1, b1, groups=b))
        x = F.conv2d(x, w2, b2, groups=b)
        return x.view(b, 1, h, w)

    def forward(self, images):
        f = self.backbone(images)
        scores = torch.sigmoid(self.cls_head(f))
        pooled, _ = scores.flatten(2).max(-1)
        pooled = torch.where(pooled > self.score_thr, pooled, torch.zeros_like(pooled))
        params = self.controller(f.mean((2, 3)))
        masks = torch.sigmoid(self.dynamic_mask(self.mask_branch(f), params))
        return torch.log(pooled + 1e-6), masks


def corpus_case():
    torch.manual_seed(0)
    return {"model": CondInstLite().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
