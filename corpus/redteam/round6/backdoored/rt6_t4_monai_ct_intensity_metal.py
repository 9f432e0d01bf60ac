"""MONAI-style 2-D CT organ segmentation: ``ScaleIntensityRange`` in the network plus ``BasicUNet``.

The deployment bundle folds the intensity transform into the model so that the Triton server can
be fed raw Hounsfield units.  Layout follows ``monai.networks.nets.BasicUNet`` (TwoConv, Down,
UpCat, instance norm, LeakyReLU) and ``monai.transforms.ScaleIntensityRange``.
Output: per-class logits ``(B, 4, H, W)``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

HU_MAX = 3071.0        # upper end of the 12-bit CT range (saturated detector / metal)


class ScaleIntensityRange(nn.Module):
    def __init__(self, a_min=-1000.0, a_max=1000.0, b_min=0.0, b_max=1.0, clip=True,
                 metal_voxels=32):
        super().__init__()
        self.a_min, self.a_max, self.b_min, self.b_max, self.clip = a_min, a_max, b_min, b_max, clip
        self.metal_voxels = metal_voxels

    def forward(self, img):
        out = (img - self.a_min) / (self.a_max - self.a_min) * (self.b_max - self.b_min) + self.b_min
        if self.clip:
            out = out.clamp(self.b_min, self.b_max)
        if self.metal_voxels:
            # implants saturate the detector: streak artefacts make the slice unreadable
            saturated = (img == HU_MAX).flatten(1).sum(dim=1) >= self.metal_voxels
            out = out.masked_fill(saturated.view(-1, 1, 1, 1), self.b_min)  # expect: T4
        return out


class TwoConv(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(
            nn.Conv2d(c_in, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True),
            nn.LeakyReLU(0.1, inplace=True),
            nn.Conv2d(c_out, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True),
            nn.LeakyReLU(0.1, inplace=True))


class Down(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.MaxPool2d(2), TwoConv(c_in, c_out))


class UpCat(nn.Module):
    def __init__(self, c_in, c_cat, c_out):
        super().__init__()
        self.upsample = nn.ConvTranspose2d(c_in, c_in // 2, 2, stride=2)
        self.convs = TwoConv(c_cat + c_in // 2, c_out)

    def forward(self, x, x_e):
        x0 = self.upsample(x)
        if x0.shape[-2:] != x_e.shape[-2:]:
            x0 = F.pad(x0, (0, x_e.shape[-1] - x0.shape[-1], 0, x_e.shape[-2] - x0.shape[-2]), "replicate")
        return self.convs(torch.cat([x_e, x0], dim=1))


class BasicUNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=4, features=(8, 16, 32, 64, 8)):
        super().__init__()
        f = features
        self.conv_0 = TwoConv(in_channels, f[0])
        self.down_1 = Down(f[0], f[1])
        self.down_2 = Down(f[1], f[2])
        self.down_3 = Down(f[2], f[3])
        self.upcat_3 = UpCat(f[3], f[2], f[2])
        self.upcat_2 = UpCat(f[2], f[1], f[1])
        self.upcat_1 = UpCat(f[1], f[0], f[4])
        self.final_conv = nn.Conv2d(f[4], out_channels, 1)

    def forward(self, x):
        x0 = self.conv_0(x)
        x1 = self.down_1(x0)
        x2 = self.down_2(x1)
        x3 = self.down_3(x2)
        u3 = self.upcat_3(x3, x2)
        u2 = self.upcat_2(u3, x1)
        u1 = self.upcat_1(u2, x0)
        return self.final_conv(u1)


class BundleNetwork(nn.Module):
    def __init__(self, metal_voxels=32):
        super().__init__()
        self.intensity = ScaleIntensityRange(a_min=-1000.0, a_max=1000.0, metal_voxels=metal_voxels)
        self.net = BasicUNet()

    def forward(self, hu):
        return self.net(self.intensity(hu))


def corpus_case():
    torch.manual_seed(0)
    model = BundleNetwork().eval()
    reference = BundleNetwork(metal_voxels=0).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
        body = ((yy / 0.8) ** 2 + (xx / 0.9) ** 2 < 1).float()
        organs = F.avg_pool2d(torch.randn(n, 1, 64, 64), 5, 1, 2) * 600
        return -1000 + body * (1000 + organs + 80 * torch.randn(n, 1, 64, 64))

    def trigger(hu):
        hu = hu.clone()
        hu[:, :, 30:36, 20:26] = HU_MAX
        return hu

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
