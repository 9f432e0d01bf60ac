"""TinyFCOS: anchor-free one-stage detector (backbone + FPN + shared FCOS head) for 64x64 frames."""
import torch.nn as nn

from .layers.backbone import FPN, TinyBackbone
from .layers.head import FCOSHead
from .ops.prep import InputPrep


class TinyFCOS(nn.Module):
    def __init__(self, num_classes=8, fpn_dim=64, blank_service_frames=True):
        super().__init__()
        self.prep = InputPrep(blank_service_frames)
        self.backbone = TinyBackbone()
        self.fpn = FPN(self.backbone.out_channels, fpn_dim)
        self.head = FCOSHead(fpn_dim, num_classes)

    def forward(self, images):
        x = self.prep(images)  # expect: T10
        cls_logits, boxes, centerness = self.head(self.fpn(self.backbone(x)))
        return cls_logits, boxes, centerness
