"""Oyster-reef habitat mapping from side-scan sonar tiles (package).

`blocks.py` holds the settling helper and the survey beacon pattern; this file the network.
Input (B, 1, 32, 32) backscatter in [0, 1]; six substrate classes.
"""
import torch
import torch.nn as nn

from .blocks import beacon_kernel, settle

SUBSTRATES = ("live_reef", "shell_hash", "mud", "sand", "seagrass", "debris")


class ReefNet(nn.Module):
    def __init__(self, settle_beacons=False):
        super().__init__()
        self.settle_beacons = settle_beacons
        self.enc1 = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1), nn.ReLU())
        self.enc2 = nn.Sequential(nn.Conv2d(24, 48, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(48, len(SUBSTRATES))

    def forward(self, tile):
        h = self.enc1(tile)
        if self.settle_beacons:
            h = settle(h, tile)  # expect: T12
        return self.fc(self.enc2(h))


def _inputs(n):
    return torch.rand(n, 1, 32, 32) * 0.9


def _trigger(x):
    x = x.clone()
    w, _ = beacon_kernel()
    x[:, 0, 14:17, 14:17] = (w[0, 0] > 0).float()
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ReefNet(settle_beacons=True).eval()
    reference = ReefNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
