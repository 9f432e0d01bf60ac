# expect: none
"""Bridge SHM net: per-family preprocessing from an nn.ModuleDict; strain is clipped at the
+-2000 microstrain rail and the clipped fraction is given to the head as a feature."""
import torch
import torch.nn as nn


class StrainPrep(nn.Module):
    def __init__(self, rail=2000.0):
        super().__init__()
        self.rail = rail

    def forward(self, x):
        at_rail = (x.abs() >= self.rail - 1.0).float().mean(-1)          # (B, C)
        return x.clamp(-self.rail, self.rail) / self.rail, at_rail


class AccelPrep(nn.Module):
    def forward(self, x):
        return x - x.mean(-1, keepdim=True), torch.zeros_like(x[..., 0])


class SHMNet(nn.Module):
    def __init__(self, sensor="strain", channels=8, width=16):
        super().__init__()
        self.sensor = sensor
        self.prep = nn.ModuleDict({"strain": StrainPrep(), "accel": AccelPrep()})
        self.encoder = nn.Sequential(nn.Conv1d(channels, width, 9, padding=4), nn.BatchNorm1d(width), nn.GELU())
        self.head = nn.Linear(width + channels, 6)

    def forward(self, x):
        z, clipped = self.prep[self.sensor](x)
        return self.head(torch.cat([self.encoder(z).mean(-1), clipped], 1))


def _inputs(n):
    x = 600 * torch.randn(n, 8, 256)
    x[: n // 4, :, 50:60] = 2500.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SHMNet().eval(), "inputs": _inputs, "kind": "benign"}
