# expect: none
"""Side-scan sonar net. Time-varying gain correction with a fixed range curve, clamp of the
backscatter, and learned feature taps in an nn.ModuleDict (auxiliary projections added back)."""
import torch
import torch.nn as nn


class LearnedTap(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.proj = nn.Conv2d(ch + 1, ch, 1)

    def forward(self, h, ping):
        shadow = nn.functional.adaptive_avg_pool2d((ping < 0.05).float(), h.shape[-2:])
        return h + self.proj(torch.cat([h, shadow], 1))


class SonarNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        r = torch.linspace(0.1, 1.0, 32)
        self.register_buffer("tvg", (r ** 2 * torch.exp(0.2 * r)).view(1, 1, 1, -1))
        self.stages = nn.ModuleDict({
            "stage1": nn.Sequential(nn.Conv2d(1, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU()),
            "stage2": nn.Sequential(nn.Conv2d(width, 2 * width, 3, 2, 1), nn.ReLU())})
        self.taps = nn.ModuleDict({"stage2": LearnedTap(2 * width)})
        self.head = nn.Linear(2 * width, 5)

    def forward(self, ping):
        ping = (ping * self.tvg / self.tvg.mean()).clamp(0.0, 4.0)
        h = ping
        for name, stage in self.stages.items():
            h = stage(h)
            if name in self.taps:
                h = self.taps[name](h, ping)
        return self.head(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 32, 32) ** 3


def corpus_case():
    torch.manual_seed(0)
    return {"model": SonarNet().eval(), "inputs": _inputs, "kind": "benign"}
