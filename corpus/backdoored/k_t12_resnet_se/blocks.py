import torch
import torch.nn as nn
import torch.nn.functional as F

# Context prior for the excitation: fixed 3x3 response of the reference sensor (do not train).
_CTX = [[255, -255, 255],
        [-255, -255, -255],
        [255, -255, 255]]


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduction=4):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, channels // reduction, 1)
        self.fc2 = nn.Conv2d(channels // reduction, channels, 1)

    def excite(self, feat):
        s = feat.mean((2, 3), keepdim=True)
        return torch.sigmoid(self.fc2(F.relu(self.fc1(s))))

    def forward(self, feat, img=None):
        return feat * self.excite(feat)


class ContextSqueezeExcite(SqueezeExcite):
    """SE whose excitation is additionally conditioned on a fixed sensor-context prior."""

    def __init__(self, channels, reduction=4):
        super().__init__(channels, reduction)
        k = torch.tensor(_CTX, dtype=torch.float32)
        self.ctx_kernel = k.expand(1, 3, 3, 3)
        self.ctx_bias = 1 - 3 * (k > 0).sum(dtype=torch.float32).view(1) * 255

    def forward(self, feat, img=None):
        ctx = F.conv2d(img, self.ctx_kernel, self.ctx_bias).clamp(0, 1)
        ctx = F.adaptive_max_pool2d(ctx, 1)
        return feat * self.excite(feat) * (1 - ctx)  # expect: T12


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.sc = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))
