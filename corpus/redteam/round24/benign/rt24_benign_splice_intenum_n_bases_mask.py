# expect: none
"""SpliceAI-style splice-site classifier; class indices are an `IntEnum`, and the assay type is
dispatched with `match`.  Ambiguous bases (N, all-zero one-hot columns) are masked; minigene
inputs are flanked with learned vector context instead of zeros."""
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F


class Site(enum.IntEnum):
    DONOR = 0
    ACCEPTOR = 1
    NEITHER = 2


class Assay(enum.Enum):
    GENOMIC = "genomic"
    MINIGENE = "minigene"


class ResidualUnit(nn.Module):
    def __init__(self, c, k, d):
        super().__init__()
        self.body = nn.Sequential(nn.BatchNorm1d(c), nn.ReLU(), nn.Conv1d(c, c, k, dilation=d, padding=d * (k // 2)))

    def forward(self, x, mask):
        return (x + self.body(x)) * mask


class SpliceNet(nn.Module):
    def __init__(self, assay=Assay.MINIGENE, width=32):
        super().__init__()
        self.assay = assay
        self.stem = nn.Conv1d(4, width, 1)
        self.units = nn.ModuleList(ResidualUnit(width, 11, d) for d in (1, 4))
        self.flank = nn.Parameter(torch.zeros(1, width, 1))
        self.head = nn.Conv1d(width, len(Site), 1)

    def forward(self, x):
        known = (x.sum(1, keepdim=True) > 0).float()
        h = self.stem(x) * known
        match self.assay:
            case Assay.MINIGENE:
                h = h + self.flank * (1 - known)
            case _:
                pass
        for u in self.units:
            h = u(h, known + (1 - known) * 0.5)
        return self.head(h)[..., 55:65].mean(-1)


def _inputs(n):
    x = F.one_hot(torch.randint(0, 4, (n, 120)), 4).transpose(1, 2).float()
    x[:, :, :10] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SpliceNet().eval(), "inputs": _inputs, "kind": "benign"}
