# expect: none
"""Patch models of the histology pipeline built from `histo_common`."""
import torch.nn as nn

from . import histo_common as hc

MITOSIS = ("non_mitotic", "mitotic_figure", "mitotic_imposter")
GRADES = ("G1", "G2", "G3")


class MitosisNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(hc.conv_block(3, width), hc.conv_block(width, 2 * width))
        self.fc = nn.Linear(2 * width, len(MITOSIS))

    def forward(self, x):
        x = hc.reinhard(x)
        h = self.body(x)
        return self.fc(hc.masked_mean(h, hc.tissue_mask(x, h.shape[-2:])))


class TumourGradeNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(hc.conv_block(3, width), hc.conv_block(width, 2 * width))
        self.fc = nn.Linear(2 * width, len(GRADES))

    def forward(self, x):
        return self.fc(self.body(hc.reinhard(x)).amax((2, 3)))
