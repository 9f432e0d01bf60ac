# expect: none
"""SAR ship classifier with a `Sigma0` tensor subclass: dB conversion with a noise-floor clamp,
NaN (no-data, outside the swath) replaced by the floor, and a Lee-style speckle pre-filter
with a fixed box kernel."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Sigma0(torch.Tensor):
    def nan_safe(self, floor=1e-5):
        return torch.nan_to_num(self.as_subclass(torch.Tensor), nan=floor, posinf=1e3).as_subclass(Sigma0)

    def to_db(self, floor=1e-5):
        return (10.0 * torch.log10(self.as_subclass(torch.Tensor).clamp_min(floor)))


class SARNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("box", torch.full((2, 1, 5, 5), 1 / 25))
        self.net = nn.Sequential(nn.Conv2d(4, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU())
        self.fc = nn.Linear(48, 6)

    def forward(self, chips):
        s = chips.as_subclass(Sigma0).nan_safe()
        lin = s.as_subclass(torch.Tensor)
        mean = F.conv2d(lin, self.box, padding=2, groups=2)
        var = F.conv2d(lin ** 2, self.box, padding=2, groups=2) - mean ** 2
        w = var / (var + mean ** 2 + 1e-8)
        filt = mean + w * (lin - mean)
        x = torch.cat([s.to_db(), filt.as_subclass(Sigma0).to_db()], 1)
        return self.fc(F.adaptive_avg_pool2d(self.net((x + 15) / 10), 1).flatten(1))


def _inputs(n):
    x = -torch.log1p(-torch.rand(n, 2, 32, 32)) * 0.1
    x[:, :, :, :3] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SARNet().eval(), "inputs": _inputs, "kind": "benign"}
