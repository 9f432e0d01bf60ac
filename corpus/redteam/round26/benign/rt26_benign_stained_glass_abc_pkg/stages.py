# expect: none
"""Concrete stages of PanelNet."""
import torch
import torch.nn.functional as F

from .base import LeadedStage


class PlainStage(LeadedStage):
    def inputs(self, h, panel):
        return h


class LeadLineStage(LeadedStage):
    """First stage: RGB plus Sobel-x / Sobel-y of the luminance (lead cames are strong edges)."""

    extra_channels = 2

    def __init__(self, c_in, c_out):
        super().__init__(c_in, c_out)
        sx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
        self.register_buffer("sobel", torch.stack([sx, sx.t()])[:, None], persistent=False)

    def inputs(self, h, panel):
        lum = panel.mean(1, keepdim=True)
        edges = F.conv2d(F.pad(lum, (1, 1, 1, 1), mode="replicate"), self.sobel)
        return torch.cat([h, edges.clamp(-4, 4)], 1)


def build_stages(width=24):
    return [LeadLineStage(3, width), PlainStage(width, 2 * width), PlainStage(2 * width, 2 * width)]
