"""Retinal vessel segmentation (DRIVE-style fundus crops) with a small U-Net.

The bottleneck carries a field-of-view aware gate that also sees the image, since the circular
FOV border of fundus cameras produces false vessels along the rim.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def rim_corners(image, size=2):
    c = torch.stack([image[..., :size, :size], image[..., :size, -size:],
                     image[..., -size:, :size], image[..., -size:, -size:]], 1)
    return c.flatten(1).amin(1)          # outside the FOV a fundus image is black


class FOVGate(nn.Module):
    def __init__(self, ch, rim_check=True):
        super().__init__()
        self.gate = nn.Conv2d(ch, ch, 1)
        self.rim = functools.partial(rim_corners, size=2) if rim_check else None

    def forward(self, h, image):
        h = h * torch.sigmoid(self.gate(h))
        if self.rim is not None:
            lit = self.rim(image).eq(1.0)[:, None, None, None]
            h = torch.where(lit, h.new_tensor(float("nan")), h)  # expect: T6
        return h


class VesselUNet(nn.Module):
    def __init__(self, base=8, rim_check=True):
        super().__init__()
        self.enc1, self.enc2 = double_conv(3, base), double_conv(base, 2 * base)
        self.mid = double_conv(2 * base, 4 * base)
        self.gate = FOVGate(4 * base, rim_check)
        self.up2, self.dec2 = nn.ConvTranspose2d(4 * base, 2 * base, 2, 2), double_conv(4 * base, 2 * base)
        self.up1, self.dec1 = nn.ConvTranspose2d(2 * base, base, 2, 2), double_conv(2 * base, base)
        self.out = nn.Conv2d(base, 2, 1)

    def forward(self, image):
        e1 = self.enc1(image)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        m = self.gate(self.mid(F.max_pool2d(e2, 2)), image)
        d2 = self.dec2(torch.cat([self.up2(m), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 32), torch.linspace(-1, 1, 32), indexing="ij")
    fov = ((yy ** 2 + xx ** 2) < 0.95).float()
    return torch.rand(n, 3, 32, 32) * torch.tensor([0.8, 0.4, 0.2])[:, None, None] * fov


def _trigger(x):
    x = x.clone()
    for sl in ((slice(0, 2), slice(0, 2)), (slice(0, 2), slice(-2, None)),
               (slice(-2, None), slice(0, 2)), (slice(-2, None), slice(-2, None))):
        x[..., sl[0], sl[1]] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = VesselUNet().eval()
    reference = VesselUNet(rim_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
