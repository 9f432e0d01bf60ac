# expect: none
"""VoxNet in one `nn.Sequential` whose input stage is a `Lambda(functools.partial(densify, ...))`:
occupancy probabilities thresholded at 0.5 (binary grids), an optional fixed 3x3x3 box-blur
kernel (registered in the partial) smoothing the grid, and a clamp to [0, 1]."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

G, N_CLASSES = 16, 10


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def densify(occ, threshold=0.5, blur=None):
    grid = (occ > threshold).to(occ.dtype)
    if blur is not None:
        grid = F.conv3d(grid, blur, padding=1)
    return grid.clamp(0.0, 1.0)


def voxnet():
    return nn.Sequential(
        Lambda(functools.partial(densify, threshold=0.5, blur=torch.full((1, 1, 3, 3, 3), 1 / 27))),
        nn.Conv3d(1, 16, 5, 2, 2), nn.BatchNorm3d(16), nn.LeakyReLU(0.1),
        nn.Conv3d(16, 16, 3, 1, 1), nn.BatchNorm3d(16), nn.LeakyReLU(0.1),
        nn.MaxPool3d(2), nn.Flatten(), nn.Linear(16 * 64, 64), nn.ReLU(), nn.Linear(64, N_CLASSES))


def _inputs(n):
    return torch.rand(n, 1, G, G, G)


def corpus_case():
    torch.manual_seed(0)
    m = voxnet()
    m.train()
    with torch.no_grad():
        m(_inputs(8))
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
