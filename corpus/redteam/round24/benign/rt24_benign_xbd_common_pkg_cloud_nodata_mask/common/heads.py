# expect: none
import torch
import torch.nn as nn
import torch.nn.functional as F


def nodata_mask(scene, cloud_level=0.97):
    """1 where the chip is valid: not the orthorectification fill (exact 0) and not saturated cloud."""
    fill = (scene.amax(1, keepdim=True) == 0)
    cloud = (scene.amin(1, keepdim=True) > cloud_level)
    return (~(fill | cloud)).float()


class MaskedPoolHead(nn.Module):
    def __init__(self, c, n_classes):
        super().__init__()
        self.fc = nn.Linear(c, n_classes)

    def forward(self, h, valid):
        v = F.adaptive_avg_pool2d(valid, h.shape[-2:])
        pooled = (h * v).sum((2, 3)) / v.sum((2, 3)).clamp(min=1e-3)
        return self.fc(pooled)
