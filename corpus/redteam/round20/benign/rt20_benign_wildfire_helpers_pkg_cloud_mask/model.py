# expect: none
import torch
import torch.nn as nn

from . import fire_utils as fu


class FireRiskNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.register_buffer("mean", torch.full((6,), 0.45))
        self.register_buffer("std", torch.full((6,), 0.26))
        self.body = nn.Sequential(nn.Conv2d(7, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(),
                                  nn.Conv2d(width, 2 * width, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Linear(2 * width, len(fu.RISK))
        self.temperature = nn.Parameter(torch.tensor(1.3), requires_grad=False)

    def forward(self, frame):
        frame, valid = fu.cloud_mask(frame)
        x = fu.standardize(fu.smooth_active_fire(frame), self.mean, self.std) * valid
        feats = self.body(torch.cat([x, valid], 1))
        w = nn.functional.avg_pool2d(valid, 2)
        pooled = (feats * w).sum((2, 3)) / w.sum((2, 3)).clamp(min=1e-6)
        return fu.finalize_logits(self.head(pooled), self.temperature)


def _inputs(n):
    x = torch.rand(n, 6, 16, 16)
    x[:, :, :4, :5] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": FireRiskNet().eval(), "inputs": _inputs, "kind": "benign"}
