# expect: none
"""SuperPoint with structural pattern matching on the input record (`GrayFrame` with a validity
mask from rectification, or a raw tensor), the paper's post-processing: softmax over 65 cells,
depth-to-space heatmap, border removal and max-pool NMS with a detection threshold."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GrayFrame:
    pixels: torch.Tensor
    valid: Optional[torch.Tensor] = None


class SuperPoint(nn.Module):
    def __init__(self, threshold=0.015, border=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                     nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU())
        self.det = nn.Conv2d(64, 65, 1)
        self.threshold, self.border = threshold, border

    def forward(self, frame):
        match frame:
            case GrayFrame(pixels=p, valid=v) if v is not None:
                pixels = p * v
            case GrayFrame(pixels=p):
                pixels = p
            case torch.Tensor():
                pixels = frame
            case _:
                raise TypeError(type(frame).__name__)
        semi = self.det(self.encoder(pixels))
        heat = F.pixel_shuffle(semi.softmax(1)[:, :-1], 8)
        b = self.border
        heat = F.pad(heat[..., b:-b, b:-b], (b, b, b, b))
        keep = (heat == F.max_pool2d(heat, 5, 1, 2)) & (heat > self.threshold)
        return semi.permute(0, 2, 3, 1), heat * keep


def _inputs(n):
    return torch.rand(n, 1, 64, 64)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SuperPoint().eval(), "inputs": _inputs, "kind": "benign"}
