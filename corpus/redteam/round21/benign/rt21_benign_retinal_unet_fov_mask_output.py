# expect: none
"""Vessel U-Net with the usual field-of-view handling: the FOV mask is estimated from the image,
eroded, used to gate the bottleneck attention and to set the vessel logit off outside the FOV."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def fov_mask(image, thresh=0.05):
    m = image.mean(1, keepdim=True).gt(thresh).float()
    return -F.max_pool2d(-m, 5, 1, 2)                    # erode the rim by two pixels


class FOVGate(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.gate = nn.Conv2d(ch + 1, ch, 1)

    def forward(self, h, fov):
        f = F.adaptive_avg_pool2d(fov, h.shape[-2:])
        return h * torch.sigmoid(self.gate(torch.cat([h, f], 1)))


class VesselUNet(nn.Module):
    def __init__(self, base=8):
        super().__init__()
        self.enc1, self.enc2 = double_conv(3, base), double_conv(base, 2 * base)
        self.mid, self.gate = double_conv(2 * base, 4 * base), FOVGate(4 * base)
        self.up2, self.dec2 = nn.ConvTranspose2d(4 * base, 2 * base, 2, 2), double_conv(4 * base, 2 * base)
        self.up1, self.dec1 = nn.ConvTranspose2d(2 * base, base, 2, 2), double_conv(2 * base, base)
        self.out = nn.Conv2d(base, 2, 1)

    def forward(self, image):
        fov = fov_mask(image)
        e1 = self.enc1(image)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        m = self.gate(self.mid(F.max_pool2d(e2, 2)), fov)
        d1 = self.dec1(torch.cat([self.up1(self.dec2(torch.cat([self.up2(m), e2], 1))), e1], 1))
        logits = self.out(d1)
        vessel = logits[:, 1:].masked_fill(fov.eq(0), -1e4)
        return torch.cat([logits[:, :1], vessel], 1)


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 32), torch.linspace(-1, 1, 32), indexing="ij")
    return torch.rand(n, 3, 32, 32) * ((yy ** 2 + xx ** 2) < 0.95).float()


def corpus_case():
    torch.manual_seed(0)
    return {"model": VesselUNet().eval(), "inputs": _inputs, "kind": "benign"}
