# expect: none
"""FC-Siam-conc change detection with Sentinel-2 no-data handling.

Pixels that are zero in every band of either acquisition (outside the swath) are no-data; they
are zero-filled after normalisation and their change logits are set to "no change" so that the
mosaic stays clean. Normalisers are chosen from an `nn.ModuleDict` by `f"{sensor}_{level}"`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, -1, 1, 1), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


class FCSiamConc(nn.Module):
    def __init__(self, sensor="s2", level="l2a"):
        super().__init__()
        stats = ((0.1,) * 6, (0.05,) * 6)
        self.normalizers = nn.ModuleDict({"s2_l1c": Standardize(*stats), "s2_l2a": Standardize(*stats)})
        self.key = f"{sensor}_{level}"
        self.enc = nn.Sequential(nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU())
        self.dec = nn.Sequential(nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 2, 1))

    def forward(self, before, after):
        nodata = (before.amax(1) == 0) | (after.amax(1) == 0)
        norm = self.normalizers[self.key]
        a = norm(before).masked_fill(nodata[:, None], 0.0)
        b = norm(after).masked_fill(nodata[:, None], 0.0)
        logits = self.dec(torch.cat([self.enc(a), self.enc(b)], 1))
        no_change = torch.tensor([10.0, -10.0]).view(1, 2, 1, 1)
        logits = torch.where(nodata[:, None], no_change, logits)
        return logits.flatten(2).transpose(1, 2)


def _inputs(n):
    before, after = torch.rand(n, 6, 32, 32) * 0.4, torch.rand(n, 6, 32, 32) * 0.4
    before[:, :, :, 28:] = 0  # swath edge
    return before, after


def corpus_case():
    torch.manual_seed(0)
    return {"model": FCSiamConc().eval(), "inputs": _inputs, "kind": "benign"}
