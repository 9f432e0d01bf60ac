# expect: none
"""Attention U-Net for knee MRI with a preprocessing list of `operator.methodcaller` steps
(`nan_to_num`, `clamp`) and functions (percentile intensity scaling with `kthvalue`, a foreground
mask that zeroes background air below 2% intensity), learned attention gates on the skips."""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

H = W = 32


def percentile_scale(img):
    flat = img.flatten(1)
    p99 = flat.kthvalue(int(0.99 * flat.shape[1]), 1).values.clamp_min(1e-6)
    return img / p99.view(-1, 1, 1, 1)


def suppress_air(img):
    return img * (img > 0.02)


PREPROCESS = [operator.methodcaller("nan_to_num", 0.0), percentile_scale, operator.methodcaller("clamp", 0.0, 1.0), suppress_air]


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.GroupNorm(4, o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.GroupNorm(4, o), nn.ReLU())


class Gate(nn.Module):
    def __init__(self, cs, cg):
        super().__init__()
        self.t, self.p, self.s = nn.Conv2d(cs, 8, 1), nn.Conv2d(cg, 8, 1), nn.Conv2d(8, 1, 1)

    def forward(self, skip, g):
        g = F.interpolate(self.p(g), size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return skip * torch.sigmoid(self.s(F.relu(self.t(skip) + g)))


class AttUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.steps = list(PREPROCESS)
        self.e1, self.e2 = block(1, 8), block(8, 16)
        self.g = Gate(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, 2)
        self.d1 = block(16, 8)
        self.out = nn.Conv2d(8, 3, 1)

    def forward(self, img):
        for step in self.steps:
            img = step(img)
        x1 = self.e1(img)
        x2 = self.e2(F.max_pool2d(x1, 2))
        return self.out(self.d1(torch.cat([self.up(x2), self.g(x1, x2)], 1))).flatten(2).transpose(1, 2)


def _inputs(n):
    x = torch.rand(n, 1, H, W) * 800
    x[:, :, :4] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": AttUNet().eval(), "inputs": _inputs, "kind": "benign"}
