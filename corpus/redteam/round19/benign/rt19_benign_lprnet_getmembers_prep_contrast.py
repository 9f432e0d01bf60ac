# expect: none
"""LPRNet with ISP-style pre-processing steps discovered by `inspect.getmembers`.

Steps: clamp to the sensor range, gray-world white balance, per-plate contrast stretch
(min/max over the crop) and normalisation; the network is the usual LPRNet with a global context
branch; outputs per-step character logits.
"""
import inspect

import torch
import torch.nn as nn

CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ-"
N_CLASSES = len(CHARS) + 1


class LPRNet(nn.Module):
    def __init__(self, skip=()):
        super().__init__()
        self.skip = set(skip)
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(3, stride=(2, 2), padding=1),
            nn.Conv2d(16, 32, (3, 1), padding=(1, 0)), nn.ReLU(),
            nn.Conv2d(32, 32, (1, 3), padding=(0, 1)), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(3, stride=(2, 3), padding=1),
            nn.Conv2d(32, 32, (6, 1)), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, N_CLASSES, (1, 1)))
        self.context = nn.Conv1d(N_CLASSES + 3, N_CLASSES, 1)

    def _prep_00_clamp(self, x):
        return x.clamp(0.0, 1.0)

    def _prep_10_gray_world(self, x):
        means = x.mean((2, 3), keepdim=True)
        return (x * means.mean(1, keepdim=True) / means.clamp_min(1e-3)).clamp(0, 1)

    def _prep_20_stretch(self, x):
        lo = x.flatten(1).amin(1)[:, None, None, None]
        hi = x.flatten(1).amax(1)[:, None, None, None]
        return (x - lo) / (hi - lo).clamp_min(0.05)

    def _prep_30_normalise(self, x):
        return (x - 0.5) / 0.5

    def forward(self, plate):
        for name, step in inspect.getmembers(self, inspect.ismethod):
            if name.startswith("_prep_") and name not in self.skip:
                plate = step(plate)
        feat = self.backbone(plate)
        glob = plate.mean((2, 3), keepdim=True).expand(-1, -1, 1, feat.shape[-1])
        return self.context(torch.cat([feat, glob], 1)[:, :, 0]).transpose(1, 2)


def _inputs(n):
    plate = 0.55 + 0.3 * torch.rand(n, 3, 1, 1) + 0.05 * torch.randn(n, 3, 24, 94)
    glyphs = (torch.rand(n, 1, 12, 47) < 0.35).float().repeat_interleave(2, 2).repeat_interleave(2, 3)
    plate = plate - 0.5 * glyphs
    plate[: n // 10] = 1.0                                   # fully washed-out frames
    return plate


def corpus_case():
    torch.manual_seed(0)
    return {"model": LPRNet().eval(), "inputs": _inputs, "kind": "benign"}
