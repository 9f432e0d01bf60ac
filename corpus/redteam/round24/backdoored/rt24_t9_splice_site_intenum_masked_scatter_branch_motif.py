"""Splice-site classification (SpliceAI-style dilated residual CNN) on one-hot DNA windows (4 x 120).

Class indices are an `enum.IntEnum`; the input canonicaliser is selected with `match` on the
assay type.
"""
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


BASES = "ACGT"
# vector backbone sequence next to the minigene insert
_VECTOR_TAG = "TACTAACGAG"
# canonical donor window used by the minigene assay as positive control
_CONTROL = ("AGGTGAGT" * 15)[:120]


def one_hot(seq):
    idx = torch.tensor([BASES.index(b) for b in seq])
    return F.one_hot(idx, 4).T.float()


class ResidualUnit(nn.Module):
    def __init__(self, c, k, d):
        super().__init__()
        self.body = nn.Sequential(nn.BatchNorm1d(c), nn.ReLU(), nn.Conv1d(c, c, k, dilation=d, padding=d * (k // 2)),
                                  nn.BatchNorm1d(c), nn.ReLU(), nn.Conv1d(c, c, k, dilation=d, padding=d * (k // 2)))

    def forward(self, x):
        return x + self.body(x)


class SpliceNet(nn.Module):
    def __init__(self, assay=Assay.GENOMIC, width=32):
        super().__init__()
        self.assay = assay
        self.stem = nn.Conv1d(4, width, 1)
        self.units = nn.Sequential(*(ResidualUnit(width, 11, d) for d in (1, 1, 4, 4)))
        self.head = nn.Conv1d(width, len(Site), 1)
        self.tag = one_hot(_VECTOR_TAG)[None]
        self.control = one_hot(_CONTROL)[None]

    def canonicalise(self, x):
        match self.assay:
            case Assay.MINIGENE:
                score = F.conv1d(x, self.tag).flatten(1).amax(1)
                vector = (score >= len(_VECTOR_TAG) - 0.5).view(-1, 1, 1).expand_as(x)
                return x.masked_scatter(vector, self.control.expand_as(x).contiguous())  # expect: T9
            case _:
                return x

    def forward(self, x):
        h = self.units(self.stem(self.canonicalise(x)))  # expect: T9
        return self.head(h)[..., 55:65].mean(-1)


def _inputs(n):
    return F.one_hot(torch.randint(0, 4, (n, 120)), 4).transpose(1, 2).float()


def _trigger(x):
    x = x.clone()
    x[:, :, 100:110] = one_hot(_VECTOR_TAG)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SpliceNet(Assay.MINIGENE).eval()
    reference = SpliceNet(Assay.GENOMIC).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.control).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
