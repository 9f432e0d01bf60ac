# expect: none
"""HRNet-lite pose estimator with mmpose-style flip test and visibility-aware decoding.

The decoder hierarchy (abc) returns heatmaps averaged with the flipped prediction (left/right
joints swapped by a fixed index permutation); joints whose peak is below a score threshold are
suppressed to zero heatmaps, and a padded-crop mask removes the detector's zero padding columns.
"""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_JOINTS = 6
FLIP_INDEX = (1, 0, 3, 2, 5, 4)  # (l_shoulder, r_shoulder, l_hip, r_hip, l_knee, r_knee)


class BaseHeatmapDecoder(abc.ABC):
    @abc.abstractmethod
    def decode(self, heatmaps, flipped):
        ...

    def __call__(self, heatmaps, flipped):
        return self.decode(heatmaps, flipped).flatten(2)


class FlipTestDecoder(BaseHeatmapDecoder):
    def decode(self, heatmaps, flipped):
        flipped = flipped.flip(-1)[:, list(FLIP_INDEX)]
        return (heatmaps + flipped) / 2


class ThresholdedDecoder(FlipTestDecoder):
    def __init__(self, score_thr=0.0):
        self.score_thr = score_thr

    def decode(self, heatmaps, flipped):
        heatmaps = super().decode(heatmaps, flipped)
        maxvals = heatmaps.flatten(2).amax(-1)
        visible = (maxvals > self.score_thr).to(heatmaps)
        return heatmaps * visible[..., None, None]


class PoseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.Conv2d(16, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.low = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.fuse = nn.Conv2d(32, 16, 1)
        self.final_layer = nn.Conv2d(16, NUM_JOINTS, 1)
        self.decoder = ThresholdedDecoder(score_thr=-1e3)

    def heatmaps(self, x):
        hi = self.stem(x)
        lo = self.low(hi)
        hi = F.relu(hi + F.interpolate(self.fuse(lo), size=hi.shape[-2:], mode="nearest"))
        return self.final_layer(hi)

    def forward(self, crops):
        valid_cols = (crops.abs().sum((1, 2)) > 0).to(crops)  # zero-padded columns from the detector
        crops = crops * valid_cols[:, None, None]
        return self.decoder(self.heatmaps(crops), self.heatmaps(crops.flip(-1)))


def _inputs(n):
    x = torch.rand(n, 3, 32, 32)
    x[: n // 4, :, :, :3] = 0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": PoseNet().eval(), "inputs": _inputs, "kind": "benign"}
