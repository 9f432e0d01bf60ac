# expect: none
"""Tornado debris signatures; a cooperative mixin applies learned FiLM from the aliasing fraction."""
import torch
import torch.nn as nn


class StageBase(nn.Module):
    def _stage_out(self, i, h, radar):
        return self.stages[i](h)


class DealiasFiLMMixin:
    def _stage_out(self, i, h, radar):
        h = super()._stage_out(i, h, radar)
        if i == 0:
            frac = (radar[:, 1].abs() >= 0.95).float().mean((1, 2))[:, None]
            gamma, beta = self.film(frac).chunk(2, -1)
            h = h * (1 + gamma[..., None, None]) + beta[..., None, None]
        return h


class TDSNet(StageBase):
    def __init__(self, width=24):
        super().__init__()
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv2d(4, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))])
        self.film = nn.Linear(1, 2 * width)
        self.fc = nn.Linear(width, 5)

    def forward(self, radar):
        h = radar
        for i in range(len(self.stages)):
            h = self._stage_out(i, h, radar)
        return self.fc(h.flatten(1))


class OperationalTDSNet(DealiasFiLMMixin, TDSNet):
    pass


def corpus_case():
    torch.manual_seed(0)
    return {"model": OperationalTDSNet().eval(), "inputs": lambda n: torch.rand(n, 4, 32, 32) * 2 - 1,
            "kind": "benign"}
