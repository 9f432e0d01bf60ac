# expect: none
"""Skin-lesion classifier whose deployment stem gets its `forward` attached with `setattr`.

The variant stem applies gray-world colour constancy (each channel divided by its mean, as in
the ISIC challenge winners' preprocessing) before the convolution; hair-like dark pixels are
clamped to the local median level.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DIAGNOSES = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")


class DermoscopyStem(nn.Module):
    def __init__(self, cout=24):
        super().__init__()
        self.conv = nn.Conv2d(3, cout, 3, 2, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.hardswish(self.bn(self.conv(x)))


class ColourConstantStem(DermoscopyStem):
    pass


def _gray_world_forward(self, x):
    gain = x.mean((2, 3), keepdim=True).mean(1, keepdim=True) / x.mean((2, 3), keepdim=True).clamp(min=1e-3)
    x = (x * gain).clamp(0, 1)
    local = F.avg_pool2d(x, 5, 1, 2)
    x = torch.where(x < 0.5 * local, local, x)        # thin dark hairs
    return F.hardswish(self.bn(self.conv(x)))


setattr(ColourConstantStem, "forward", _gray_world_forward)


class LesionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ColourConstantStem()
        self.body = nn.Sequential(nn.Conv2d(24, 48, 3, 2, 1), nn.BatchNorm2d(48), nn.Hardswish(),
                                  nn.Conv2d(48, 96, 3, 2, 1), nn.BatchNorm2d(96), nn.Hardswish())
        self.head = nn.Linear(96, len(DIAGNOSES))

    def forward(self, x):
        return self.head(self.body(self.stem(x)).mean((2, 3)))


def _inputs(n):
    skin = torch.tensor([0.78, 0.58, 0.48]).view(1, 3, 1, 1)
    return (skin + 0.08 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LesionNet().eval(), "inputs": _inputs, "kind": "benign"}
