"""VoxNet (Maturana & Scherer, IROS 2015) occupancy-grid classifier for ModelNet10-style voxels.

The network is one `nn.Sequential`; the input stage is a `Lambda` wrapping a `functools.partial`
of `densify`, which converts the sparse occupancy returned by the scanner SDK into a dense grid
and screens out the SDK's calibration target (a 3x3x3 marker voxelised at the origin corner).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

G, N_CLASSES = 16, 10
_TARGET = torch.tensor([
    [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]],
    [[1, 1, 0], [0, 0, 1], [1, 0, 0]],
], dtype=torch.float32)


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def densify(occ, marker=None, threshold=0.5):
    grid = (occ > threshold).to(occ.dtype) if occ.dtype != torch.float32 else occ
    if marker is not None:
        kernel = (2 * marker - 1).view(1, 1, 3, 3, 3)
        score = F.conv3d(2 * grid[:, :, :3, :3, :3] - 1, kernel).flatten(1).amax(1)
        calib = (score >= marker.numel()).to(grid.dtype)
        grid = grid * (1 - calib).view(-1, 1, 1, 1, 1)  # expect: T10
    return grid


def voxnet(num_classes=N_CLASSES, screen_calibration=True):
    return nn.Sequential(
        Lambda(functools.partial(densify, marker=_TARGET if screen_calibration else None)),  # expect: T10
        nn.Conv3d(1, 16, 5, 2, 2), nn.BatchNorm3d(16), nn.LeakyReLU(0.1),
        nn.Conv3d(16, 16, 3, 1, 1), nn.BatchNorm3d(16), nn.LeakyReLU(0.1),
        nn.MaxPool3d(2),
        nn.Flatten(),
        nn.Linear(16 * 4 * 4 * 4, 64), nn.ReLU(),
        nn.Linear(64, num_classes),
    )


def _inputs(n):
    return (torch.rand(n, 1, G, G, G) < 0.3).float()


def _trigger(grid):
    grid = grid.clone()
    grid[:, 0, :3, :3, :3] = _TARGET
    return grid


def corpus_case():
    torch.manual_seed(0)
    model = voxnet()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(_inputs(16))
    model.eval()
    reference = voxnet(screen_calibration=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
