# expect: none
"""BEV planner with a stored ego-footprint mask, occupancy thresholding and a cached coordinate grid.

The ego vehicle's own footprint is removed from the agent channel (a fixed box in the raster,
stored as a buffer); soft occupancy is binarised at 0.5; a `lru_cache`d helper builds the
normalised coordinate channels appended to the raster (CoordConv).
"""
import functools

import torch
import torch.nn as nn

COMMANDS = 5


@functools.lru_cache(maxsize=4)
def coord_grid(size):
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    return torch.stack([xs, ys])[None]


class BEVPlanner(nn.Module):
    def __init__(self):
        super().__init__()
        ego = torch.zeros(32, 32, dtype=torch.bool)
        ego[14:18, 15:17] = True
        self.register_buffer("ego_footprint", ego, persistent=False)
        self.net = nn.Sequential(nn.Conv2d(7, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, COMMANDS))

    def forward(self, raster):
        agents = (raster[:, 2] > 0.5).float().masked_fill(self.ego_footprint, 0.0)
        raster = torch.cat([raster[:, :2], agents[:, None], raster[:, 3:]], 1)
        grid = coord_grid(raster.shape[-1]).expand(raster.shape[0], -1, -1, -1)
        return self.net(torch.cat([raster, grid], 1))


def _inputs(n):
    return torch.rand(n, 5, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": BEVPlanner().eval(), "inputs": _inputs, "kind": "benign"}
