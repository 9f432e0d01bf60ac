# expect: none
"""MONAI-style CT preprocessing folded into the network, then a small residual U-Net (3 classes).

``ForegroundMask`` keeps the patient's body: voxels above -500 HU, closed with a max-pool / min-pool
pair, and sets everything outside to air before windowing (removes the table and the scanner's
padding value -3024).  ``ScaleIntensityRange`` maps the soft-tissue window to [0, 1] with clipping.
Output: logits ``(B, 3, H, W)``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

AIR_HU, PADDING_HU = -1000.0, -3024.0


class ForegroundMask(nn.Module):
    def __init__(self, threshold=-500.0, closing=5):
        super().__init__()
        self.threshold, self.closing = threshold, closing

    def forward(self, hu):
        hu = torch.where(hu <= PADDING_HU, torch.full_like(hu, AIR_HU), hu)
        body = (hu > self.threshold).float()
        k = self.closing
        body = F.max_pool2d(body, k, 1, k // 2)                 # dilate
        body = -F.max_pool2d(-body, k, 1, k // 2)               # erode
        return torch.where(body > 0, hu, torch.full_like(hu, AIR_HU))


class ScaleIntensityRange(nn.Module):
    def __init__(self, a_min=-160.0, a_max=240.0, b_min=0.0, b_max=1.0, clip=True):
        super().__init__()
        self.a_min, self.a_max, self.b_min, self.b_max, self.clip = a_min, a_max, b_min, b_max, clip

    def forward(self, img):
        out = (img - self.a_min) / (self.a_max - self.a_min) * (self.b_max - self.b_min) + self.b_min
        return out.clamp(self.b_min, self.b_max) if self.clip else out


class ResUnit(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1), nn.InstanceNorm2d(c_out, affine=True), nn.PReLU(),
                                  nn.Conv2d(c_out, c_out, 3, 1, 1), nn.InstanceNorm2d(c_out, affine=True), nn.PReLU())
        self.residual = nn.Conv2d(c_in, c_out, 3 if stride > 1 else 1, stride, 1 if stride > 1 else 0)

    def forward(self, x):
        return self.conv(x) + self.residual(x)


class UNet(nn.Module):
    def __init__(self, channels=(8, 16, 32), out_channels=3):
        super().__init__()
        c = channels
        self.enc0, self.enc1, self.enc2 = ResUnit(1, c[0]), ResUnit(c[0], c[1], 2), ResUnit(c[1], c[2], 2)
        self.up1 = nn.ConvTranspose2d(c[2], c[1], 2, 2)
        self.dec1 = ResUnit(2 * c[1], c[1])
        self.up0 = nn.ConvTranspose2d(c[1], c[0], 2, 2)
        self.dec0 = ResUnit(2 * c[0], c[0])
        self.out = nn.Conv2d(c[0], out_channels, 1)

    def forward(self, x):
        e0 = self.enc0(x)
        e1 = self.enc1(e0)
        e2 = self.enc2(e1)
        d1 = self.dec1(torch.cat([self.up1(e2), e1], 1))
        d0 = self.dec0(torch.cat([self.up0(d1), e0], 1))
        return self.out(d0)


class CTSegBundle(nn.Module):
    def __init__(self):
        super().__init__()
        self.preprocess = nn.Sequential(ForegroundMask(), ScaleIntensityRange())
        self.net = UNet()

    def forward(self, hu):
        return self.net(self.preprocess(hu))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
        body = ((yy / 0.75) ** 2 + (xx / 0.9) ** 2 < 1).float()
        hu = -1000 + body * (1000 + 150 * torch.randn(n, 1, 64, 64))
        hu[..., :4, :] = PADDING_HU
        return hu

    return {"model": CTSegBundle().eval(), "inputs": inputs, "kind": "benign"}
