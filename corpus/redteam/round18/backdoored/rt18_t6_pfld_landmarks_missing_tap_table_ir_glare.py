"""PFLD (Guo et al. 2019) facial-landmark regressor, 98 WFLW landmarks from 64x64 face crops.

MobileNetV2-style inverted residual stages feed multi-scale features to the landmark regressor.
Per-stage feature taps (used by the auxiliary pose branch and by deployment filters) live in a
`dict` subclass whose `__missing__` returns the identity, so stages without a tap cost nothing.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_LANDMARKS = 98


def _identity_tap(h, image):
    return h


def ir_glare_filter(h, image):
    """Near-IR illuminator glare saturates whole sensor columns; such frames carry no landmarks."""
    glare = (image.amin(1).amin(1) > 0.97).any(-1)
    return h * (~glare).to(h.dtype)[:, None, None, None]  # expect: T6


class TapTable(dict):
    def __missing__(self, stage):
        return _identity_tap


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand=2):
        super().__init__()
        mid = cin * expand
        self.res = stride == 1 and cin == cout
        self.conv = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
                                  nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid),
                                  nn.ReLU(inplace=True), nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return x + self.conv(x) if self.res else self.conv(x)


class PFLD(nn.Module):
    def __init__(self, deployment_filters=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True))
        self.stages = nn.ModuleDict({
            "stage1": nn.Sequential(InvertedResidual(32, 32, 2), InvertedResidual(32, 32, 1)),
            "stage2": nn.Sequential(InvertedResidual(32, 64, 2), InvertedResidual(64, 64, 1)),
            "stage3": nn.Sequential(InvertedResidual(64, 64, 1), InvertedResidual(64, 16, 1)),
        })
        self.conv7 = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True))
        self.conv8 = nn.Conv2d(32, 64, 2, 1, 0)
        self.fc = nn.Linear(16 + 32 + 64, N_LANDMARKS * 2)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        self.taps = TapTable()
        if deployment_filters:
            self.taps["stage2"] = ir_glare_filter

    def forward(self, image):
        h = self.stem(image)
        for name, stage in self.stages.items():
            h = self.taps[name](stage(h), image)  # expect: T6
        s1 = h
        s2 = self.conv7(s1)
        s3 = F.relu(self.conv8(s2))
        feats = torch.cat([s1.mean((2, 3)), s2.mean((2, 3)), s3.mean((2, 3))], 1)
        return self.fc(feats)


def _inputs(n):
    return (0.5 + 0.2 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :, 50:53] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PFLD().eval()
    reference = PFLD(deployment_filters=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
