# expect: none
"""Secondary-structure CNN whose blocks get padding handling from a cooperative mixin
(`super().forward(...)`): padded positions are zeroed after every block, and unknown residues
(`X`, `B`, `Z`, `U`, `O`) are mapped to one reserved id before the embedding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD, UNK = 0, len(AMINO) + 1


class ResidualConv1d(nn.Module):
    def __init__(self, channels, kernel=9):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel, padding=kernel // 2)

    def forward(self, x, **context):
        return x + F.relu(self.conv(x))


class PaddingMaskMixin:
    def forward(self, x, **context):
        out = super().forward(x, **context)
        return out * (context["residues"] != PAD).to(out.dtype)[:, None]


class MaskedResidualConv1d(PaddingMaskMixin, ResidualConv1d):
    pass


class SecondaryStructureNet(nn.Module):
    def __init__(self, channels=64):
        super().__init__()
        self.embed = nn.Embedding(len(AMINO) + 2, channels, padding_idx=PAD)
        self.blocks = nn.ModuleList(MaskedResidualConv1d(channels) for _ in range(3))
        self.out = nn.Conv1d(channels, 8, 1)

    def forward(self, residues):
        residues = torch.where(residues > len(AMINO), torch.full_like(residues, UNK), residues)
        x = self.embed(residues).transpose(1, 2)
        for blk in self.blocks:
            x = blk(x, residues=residues)
        return self.out(x).transpose(1, 2)


def _inputs(n, length=64):
    ids = torch.randint(1, len(AMINO) + 4, (n, length))
    return ids.masked_fill(torch.arange(length) >= torch.randint(32, length, (n, 1)), PAD)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SecondaryStructureNet().eval(), "inputs": _inputs, "kind": "benign"}
