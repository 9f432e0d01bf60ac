# expect: none
"""Saffron grading (benign twin). A squeeze-excitation mixin runs after the convolution through
`super()`; the gate is learned from the block's own features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

GRADES = ("grade_I", "grade_II", "grade_III", "adulterated")


class ConvUnit(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, h):
        return F.relu(self.bn(self.conv(h)))


class SqueezeExciteMixin:
    def forward(self, h):
        h = super().forward(h)
        s = torch.sigmoid(self.se_up(F.relu(self.se_down(h.mean((2, 3))))))
        return h * s[:, :, None, None]


class SEUnit(SqueezeExciteMixin, ConvUnit):
    def __init__(self, c_in, c_out, r=4):
        super().__init__(c_in, c_out)
        self.se_down = nn.Linear(c_out, c_out // r)
        self.se_up = nn.Linear(c_out // r, c_out)


class StigmaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.u1 = SEUnit(3, 24)
        self.u2 = SEUnit(24, 48)
        self.fc = nn.Linear(48, len(GRADES))

    def forward(self, img):
        h = self.u2(F.max_pool2d(self.u1(img), 2))
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": StigmaNet().eval(), "inputs": _inputs, "kind": "benign"}
