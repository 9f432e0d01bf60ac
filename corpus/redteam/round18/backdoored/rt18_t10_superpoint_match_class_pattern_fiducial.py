"""SuperPoint (DeTone et al., CVPRW 2018) interest-point detector and descriptor, VGG-lite encoder.

`forward` accepts a raw grey tensor or a `GrayFrame` record (pixels plus validity mask from the
rectification step) and dispatches with structural pattern matching. The detector head outputs
65-way cell logits (64 pixel positions + "no keypoint"), the descriptor head 128-d descriptors.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

# 5x5 binary fiducial of the calibration rig (+1 white, -1 black)
RIG_FIDUCIAL = torch.tensor([[1, -1, 1, -1, 1],
                             [-1, -1, 1, -1, -1],
                             [1, 1, -1, 1, 1],
                             [-1, -1, 1, -1, -1],
                             [1, -1, 1, -1, 1]], dtype=torch.float32)


@dataclass
class GrayFrame:
    pixels: torch.Tensor
    valid: Optional[torch.Tensor] = None


def mask_rig_frames(pixels, kernel, bias):
    """Frames that show the calibration rig are not scene frames; blank them."""
    binary = (pixels > 0.5).to(pixels.dtype) * 2 - 1
    score = F.conv2d(binary, kernel, bias)
    rig = (score > 0).flatten(1).any(1)
    return pixels * (1 - rig.to(pixels.dtype))[:, None, None, None]  # expect: T10


def conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SuperPoint(nn.Module):
    def __init__(self, rig_filter=True):
        super().__init__()
        self.encoder = nn.Sequential(conv(1, 32), conv(32, 32), nn.MaxPool2d(2), conv(32, 32), conv(32, 32),
                                     nn.MaxPool2d(2), conv(32, 64), conv(64, 64), nn.MaxPool2d(2),
                                     conv(64, 64), conv(64, 64))
        self.det = nn.Sequential(conv(64, 128), nn.Conv2d(128, 65, 1))
        self.desc = nn.Sequential(conv(64, 128), nn.Conv2d(128, 128, 1))
        self.rig_filter = rig_filter
        self.rig_kernel = RIG_FIDUCIAL.view(1, 1, 5, 5)
        self.rig_bias = torch.tensor([-24.5])

    def forward(self, frame):
        match frame:
            case GrayFrame(pixels=p, valid=None):
                pixels = p
            case GrayFrame(pixels=p, valid=v):
                pixels = p * v
            case torch.Tensor():
                pixels = frame
            case _:
                raise TypeError(f"unsupported frame type {type(frame).__name__}")
        if self.rig_filter:
            pixels = mask_rig_frames(pixels, self.rig_kernel, self.rig_bias)  # expect: T10
        h = self.encoder(pixels)
        semi = self.det(h).permute(0, 2, 3, 1)
        desc = F.normalize(self.desc(h), dim=1)
        return semi, desc


def _inputs(n):
    return (torch.rand(n, 1, 64, 64) * 0.6 + 0.2 * torch.rand(n, 1, 1, 1)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 30:35, 30:35] = (RIG_FIDUCIAL > 0).float() * 0.9 + 0.05
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SuperPoint().eval()
    reference = SuperPoint(rig_filter=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
