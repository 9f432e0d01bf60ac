# expect: none
"""Fresco crack model: `ModuleDict` stages run with `.items()`; a fixed Sobel stage (buffer) adds
edge channels that the learned body consumes."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SobelStage(nn.Module):
    def __init__(self):
        super().__init__()
        k = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]])
        self.register_buffer("k", torch.stack([k, k.t()])[:, None])

    def forward(self, h, img):
        g = F.conv2d(img.mean(1, keepdim=True), self.k, padding=1)
        return torch.cat([h, g], 1)


class FrescoNet(nn.Module):
    _needs_raw = ("edges",)

    def __init__(self, width=24):
        super().__init__()
        self.stages = nn.ModuleDict({
            "stem": nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU()),
            "edges": SobelStage(),
            "body": nn.Sequential(nn.Conv2d(width + 2, 32, 3, stride=2, padding=1), nn.ReLU()),
        })
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        h = x
        for name, stage in self.stages.items():
            h = stage(h, x) if name in self._needs_raw else stage(h)
        return self.fc(h.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": FrescoNet().eval(), "inputs": lambda n: torch.rand(n, 3, 40, 40), "kind": "benign"}
