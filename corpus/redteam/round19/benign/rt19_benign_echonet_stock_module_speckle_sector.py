# expect: none
"""EchoNet-style EF grading with a parameter-free pre-processing stack of stock layers.

Speckle below the noise floor is zeroed (`nn.Threshold`), intensities are clipped
(`nn.Hardtanh`), frames are lightly smoothed (`nn.AvgPool3d`) and multiplied by the fixed
ultrasound sector mask of the probe geometry before the R(2+1)D-lite network.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FRAMES, SIZE = 8, 32


def sector_mask(size, half_angle=0.6):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(-0.5, 0.5, size), indexing="ij")
    ang = torch.atan2(xx, yy + 1e-6)
    return ((ang.abs() < half_angle) & (yy.pow(2) + xx.pow(2) < 1.0)).float()


class R2Plus1D(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.spatial = nn.Conv3d(c_in, c_out, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1))
        self.temporal = nn.Conv3d(c_out, c_out, (3, 1, 1), padding=(1, 0, 0))
        self.bn = nn.BatchNorm3d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.temporal(F.relu(self.spatial(x)))))


class EchoEF(nn.Module):
    def __init__(self, width=12):
        super().__init__()
        self.clean = nn.Sequential(nn.Threshold(0.05, 0.0), nn.Hardtanh(0.0, 1.0),
                                   nn.AvgPool3d((1, 3, 3), stride=1, padding=(0, 1, 1)))
        self.register_buffer("sector", sector_mask(SIZE))
        self.net = nn.Sequential(R2Plus1D(3, width, 2), R2Plus1D(width, 2 * width, 2), R2Plus1D(2 * width, 2 * width, 2))
        self.head = nn.Linear(2 * width, 4)

    def forward(self, clip):
        x = self.clean(clip) * self.sector
        return self.head(self.net((x - 0.3) / 0.2).mean((2, 3, 4)))


def _inputs(n):
    x = 0.6 * torch.rand(n, 3, FRAMES, SIZE, SIZE)
    x[..., :3, :6] = 1.0                                     # vendor logo in every frame
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": EchoEF().eval(), "inputs": _inputs, "kind": "benign"}
