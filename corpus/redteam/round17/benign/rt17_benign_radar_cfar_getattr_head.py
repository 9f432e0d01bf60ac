# expect: none
"""Radar range-Doppler classifier with a cell-averaging CFAR detection map fed as an extra input
channel, a zero-Doppler clutter notch, and a head wrapper delegating attributes via `__getattr__`."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DelegatingHead(nn.Module):
    def __init__(self, inner, temperature=1.0):
        super().__init__()
        self.inner = inner
        self.temperature = temperature

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["inner"], name)

    def forward(self, x):
        return self.inner(x) / self.temperature


class RadarNet(nn.Module):
    def __init__(self, w=24, guard=1, train_cells=4, pfa_scale=3.0):
        super().__init__()
        k = 2 * (guard + train_cells) + 1
        kernel = torch.ones(1, 1, 1, k)
        kernel[..., train_cells:train_cells + 2 * guard + 1] = 0
        self.register_buffer("cfar_kernel", kernel / kernel.sum())
        self.pfa_scale = pfa_scale
        self.features = nn.Sequential(nn.Conv2d(2, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(),
                                      nn.Conv2d(w, 2 * w, 3, 2, 1), nn.BatchNorm2d(2 * w), nn.ReLU())
        self.head = DelegatingHead(nn.Linear(2 * w, 5))

    def forward(self, rd):
        rd = rd.clone()
        rd[:, :, rd.shape[2] // 2] = 0.0                         # zero-Doppler clutter notch
        noise = F.conv2d(rd, self.cfar_kernel, padding=(0, self.cfar_kernel.shape[-1] // 2))
        detections = (rd > self.pfa_scale * noise).float()        # CA-CFAR
        x = torch.cat([torch.log1p(rd * 100), detections], 1)
        return self.head(self.features(x).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": RadarNet().eval(), "inputs": lambda n: torch.randn(n, 1, 32, 32).abs() * 0.1, "kind": "benign"}
