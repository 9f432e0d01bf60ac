# expect: none
"""Event-camera classifier: voxel grids normalised over their non-zero entries (EST / E2VID
convention), per-sample 99th-percentile clamp against hot pixels, and a `__setattr__` override that
records the names of the stems assigned to the model (used by the layer-wise LR schedule)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EventNet(nn.Module):
    def __init__(self, w=32, bins=5):
        super().__init__()
        self.stem_names = []
        self.voxel_stem = nn.Sequential(nn.Conv2d(2 * bins, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(w, 2 * w, 3, 2, 1), nn.BatchNorm2d(2 * w), nn.ReLU())
        self.fc = nn.Linear(2 * w, 11)

    def __setattr__(self, name, value):
        if isinstance(value, nn.Module) and name.endswith("_stem"):
            self.__dict__.setdefault("stem_names", []).append(name)
        super().__setattr__(name, value)

    def forward(self, voxels):
        flat = voxels.flatten(1)
        hi = torch.quantile(flat, 0.99, dim=1, keepdim=True).clamp_min(1.0)
        v = torch.minimum(flat, hi)
        nz = v != 0
        cnt = nz.sum(1, keepdim=True).clamp_min(1)
        mean = v.sum(1, keepdim=True) / cnt
        std = (((v - mean) ** 2) * nz).sum(1, keepdim=True).div(cnt).sqrt().clamp_min(1e-3)
        v = torch.where(nz, (v - mean) / std, v).view_as(voxels)
        return self.fc(F.adaptive_avg_pool2d(self.body(self.voxel_stem(v)), 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": EventNet().eval(), "inputs": lambda n: torch.poisson(torch.full((n, 10, 32, 32), 0.3)),
            "kind": "benign"}
