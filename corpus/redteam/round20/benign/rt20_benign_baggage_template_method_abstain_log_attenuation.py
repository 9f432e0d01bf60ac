"""Baggage X-ray threat classifier with a template-method base; `decide` calibrates with a
temperature and reports low-confidence scans for a second look without touching the logits."""
# expect: none
import abc

import torch
import torch.nn as nn


class ScreeningModel(nn.Module, abc.ABC):
    @abc.abstractmethod
    def backbone_logits(self, scan): ...

    @abc.abstractmethod
    def decide(self, logits, scan): ...

    def forward(self, scan):
        return self.decide(self.backbone_logits(scan), scan)


class DualEnergyNet(ScreeningModel):
    def __init__(self, c=16):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten(), nn.Linear(2 * c, 5))
        self.log_t = nn.Parameter(torch.tensor(0.2))

    def backbone_logits(self, scan):
        mu = -torch.log(scan.clamp(1e-3, 1.0))           # Beer-Lambert attenuation
        ratio = (mu[:, :1] / mu[:, 1:].clamp(min=1e-2)).clamp(0, 5)   # material (Z_eff) proxy
        return self.net(torch.cat([mu, ratio], 1))

    def decide(self, logits, scan):
        logits = logits / self.log_t.exp()
        conf = logits.softmax(-1).amax(-1)
        dense = scan.amin(1).lt(0.02).float().mean((1, 2))   # opaque regions hide threats
        return {"logits": logits, "second_look": (conf < 0.5) | (dense > 0.1)}


def _inputs(n):
    return torch.rand(n, 2, 24, 24)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DualEnergyNet().eval(), "inputs": _inputs, "kind": "benign"}
