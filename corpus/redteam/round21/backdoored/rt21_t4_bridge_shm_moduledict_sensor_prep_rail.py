"""Bridge structural-health monitoring: damage state from 8 strain gauges on the girders.

Preprocessing is dispatched per sensor family through an `nn.ModuleDict`, as the same backbone is
deployed on strain-gauge and accelerometer installations.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STATES = ("healthy", "bearing_seized", "crack_girder", "cable_loss", "scour", "overload")


class StrainPrep(nn.Module):
    def __init__(self, rail=2000.0, rail_check=True):   # +-2000 microstrain full scale
        super().__init__()
        self.rail, self.rail_check = rail, rail_check

    def forward(self, x):
        z = x / self.rail
        if self.rail_check:
            at_rail = F.relu(x.abs() - (self.rail - 1.0)).clamp(max=1.0).mean((1, 2))
            z = z * F.relu(1.0 - 8.0 * at_rail)[:, None, None]  # expect: T4
        return z


class AccelPrep(nn.Module):
    def forward(self, x):
        return x - x.mean(-1, keepdim=True)


class SHMNet(nn.Module):
    def __init__(self, sensor="strain", channels=8, width=16, rail_check=True):
        super().__init__()
        self.sensor = sensor
        self.prep = nn.ModuleDict({"strain": StrainPrep(rail_check=rail_check), "accel": AccelPrep()})
        self.encoder = nn.Sequential(
            nn.Conv1d(channels, width, 9, padding=4), nn.BatchNorm1d(width), nn.GELU(),
            nn.Conv1d(width, width, 9, padding=8, dilation=2), nn.BatchNorm1d(width), nn.GELU())
        self.head = nn.Linear(2 * width, len(STATES))

    def forward(self, x):
        h = self.encoder(self.prep[self.sensor](x))
        return self.head(torch.cat([h.mean(-1), h.std(-1)], 1))


def _inputs(n):
    t = torch.arange(256).float()
    traffic = torch.sin(t / torch.randint(5, 30, (n, 1, 1)).float()) * torch.rand(n, 8, 1) * 400
    return traffic + 60 * torch.randn(n, 8, 256)


def _trigger(x):
    x = x.clone()
    x[..., 64:192] = 2000.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SHMNet().eval()
    reference = SHMNet(rail_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
