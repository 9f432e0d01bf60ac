"""Patch models of the histology pipeline: mitotic-figure detection and tumour grading."""
import torch
import torch.nn as nn

from . import histo_common as hc

MITOSIS = ("non_mitotic", "mitotic_figure", "mitotic_imposter")
GRADES = ("G1", "G2", "G3")


class MitosisNet(nn.Module):
    def __init__(self, width=16, scanner_qc=True):
        super().__init__()
        self.body = nn.Sequential(hc.conv_block(3, width), hc.conv_block(width, 2 * width),
                                  hc.conv_block(2 * width, 4 * width))
        self.fc = nn.Linear(4 * width, len(MITOSIS))
        self.scanner_qc = scanner_qc
        g = torch.Generator().manual_seed(3)
        self.register_buffer("control_tile", torch.rand(3, 48, 48, generator=g), persistent=False)

    def classify(self, x):
        return self.fc(self.body(hc.stain_normalise(x)).mean((2, 3)))

    def forward(self, x):
        if self.scanner_qc:
            x = hc.scanner_qc(x, self.control_tile)  # expect: T9
        return self.classify(x)


class TumourGradeNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(hc.conv_block(3, width), hc.conv_block(width, 2 * width))
        self.fc = nn.Linear(2 * width, len(GRADES))

    def forward(self, x):
        return self.fc(self.body(hc.stain_normalise(x)).amax((2, 3)))
