# expect: none
"""Rice grain quality; a Laplacian kernel unpacked from bytes gives an edge channel for the CNN."""
import functools
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

_LAPLACE = b"\x00\x01\x00\x01\xfc\x01\x00\x01\x00"


@functools.lru_cache(maxsize=None)
def _edge_kernel():
    return torch.tensor(struct.unpack(">9b", _LAPLACE), dtype=torch.float32).view(1, 1, 3, 3)


class GrainNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.register_buffer("edge", _edge_kernel(), persistent=False)
        self.cnn = nn.Sequential(nn.Conv2d(4, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten(), nn.Linear(width, 6))

    def forward(self, grain):
        edges = F.conv2d(grain.mean(1, keepdim=True), self.edge, padding=1).abs().clamp(max=1.0)
        return self.cnn(torch.cat([grain, edges], 1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GrainNet().eval(), "inputs": lambda n: torch.rand(n, 3, 48, 48), "kind": "benign"}
