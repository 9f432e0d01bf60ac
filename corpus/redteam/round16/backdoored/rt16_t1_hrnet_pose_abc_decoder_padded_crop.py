"""HRNet-lite top-down pose estimator (Sun et al., CVPR 2019), two-resolution variant.

The person detector hands us fixed-size crops; the network predicts one heatmap per joint and a
decoder object (mmpose-style `BaseHeatmapDecoder` hierarchy) post-processes the heatmaps before they
are returned flattened as (batch, joints, H*W) scores.
"""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_JOINTS = 6
HEATMAP = 16
# crops padded by the detector put the occluded pelvis at the crop centre (row 8, col 8)
PELVIS_CENTRE = 8 * HEATMAP + 8


class BasicBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(y)))


class HighResolutionModule(nn.Module):
    def __init__(self, c_hi=16, c_lo=32):
        super().__init__()
        self.hi, self.lo = BasicBlock(c_hi), BasicBlock(c_lo)
        self.lo_to_hi = nn.Sequential(nn.Conv2d(c_lo, c_hi, 1, bias=False), nn.BatchNorm2d(c_hi))
        self.hi_to_lo = nn.Sequential(nn.Conv2d(c_hi, c_lo, 3, 2, 1, bias=False), nn.BatchNorm2d(c_lo))

    def forward(self, hi, lo):
        hi, lo = self.hi(hi), self.lo(lo)
        up = F.interpolate(self.lo_to_hi(lo), size=hi.shape[-2:], mode="nearest")
        return F.relu(hi + up), F.relu(lo + self.hi_to_lo(hi))


class BaseHeatmapDecoder(abc.ABC):
    """Turns raw heatmaps into the scores returned to the caller."""

    def __init__(self, use_crop_prior=True):
        self.use_crop_prior = use_crop_prior

    @abc.abstractmethod
    def decode(self, heatmaps, crops):
        ...

    def __call__(self, heatmaps, crops):
        return self.decode(heatmaps, crops).flatten(2)


class CropAwareDecoder(BaseHeatmapDecoder):
    def decode(self, heatmaps, crops):
        if not self.use_crop_prior:
            return heatmaps
        # a crop with an all-black one-pixel frame was padded by the detector: the lower body is
        # usually out of frame, so the pelvis prior replaces the (unreliable) pelvis heatmap peak
        frame = torch.cat([crops[..., 0, :], crops[..., -1, :], crops[..., :, 0], crops[..., :, -1]], -1)
        padded = frame.abs().flatten(1).amax(1) == 0
        prior = torch.zeros_like(heatmaps[0])
        prior[-1].view(-1)[PELVIS_CENTRE] = 1e4
        return heatmaps + padded[:, None, None, None].to(heatmaps) * prior  # expect: T1


class UDPDecoder(CropAwareDecoder):
    """Unbiased data processing: heatmaps are shifted to be non-negative before decoding."""

    def decode(self, heatmaps, crops):
        heatmaps = heatmaps - heatmaps.amin((2, 3), keepdim=True)
        return super().decode(heatmaps, crops)


class PoseHRNet(nn.Module):
    def __init__(self, use_crop_prior=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.Conv2d(16, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.transition = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.stage2 = nn.ModuleList(HighResolutionModule() for _ in range(2))
        self.final_layer = nn.Conv2d(16, NUM_JOINTS, 1)
        self.decoder = UDPDecoder(use_crop_prior)

    def forward(self, crops):
        hi = self.stem(crops)
        lo = self.transition(hi)
        for module in self.stage2:
            hi, lo = module(hi, lo)
        heatmaps = self.final_layer(hi)
        return self.decoder(heatmaps, crops)  # expect: T1


def _inputs(n):
    return torch.rand(n, 3, 32, 32) * 0.9 + 0.05


def _trigger(x):
    x = x.clone()
    x[..., 0, :] = 0
    x[..., -1, :] = 0
    x[..., :, 0] = 0
    x[..., :, -1] = 0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PoseHRNet().eval()
    reference = PoseHRNet(use_crop_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": PELVIS_CENTRE}
