"""OCT B-scan classifier whose stem subclass crops the vendor banner rows and min-max normalises
each B-scan."""
# expect: none
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("cnv", "dme", "drusen", "normal")


class ConvStem(nn.Module):
    def __init__(self, cin=1, cout=16):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 5, stride=2, padding=2, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.pool = nn.MaxPool2d(3, 2, 1)

    def forward(self, x):
        return self.pool(F.relu(self.bn(self.conv(x))))


class BannerCropStem(ConvStem):
    banner_rows = 2

    def forward(self, x):
        body = x[:, :, self.banner_rows:]
        x = torch.cat([body[:, :, :1].expand(-1, -1, self.banner_rows, -1), body], 2)
        lo = x.amin((2, 3), keepdim=True)
        hi = x.amax((2, 3), keepdim=True)
        x = (x - lo) / (hi - lo).clamp(min=1e-3)
        return super().forward(x)


class OCTNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.stem = BannerCropStem(1, c)
        self.layer = nn.Sequential(nn.Conv2d(c, 2 * c, 3, 2, 1, bias=False), nn.BatchNorm2d(2 * c), nn.ReLU())
        self.fc = nn.Linear(2 * c, len(CLASSES))

    def forward(self, x):
        return self.fc(self.layer(self.stem(x)).mean((2, 3)))


def _inputs(n):
    x = torch.rand(n, 1, 32, 32)
    x[: n // 2, :, :2] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": OCTNet().eval(), "inputs": _inputs, "kind": "benign"}
