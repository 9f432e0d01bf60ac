# expect: none
"""Precursor charge prediction with the basic-residue rule of electrospray ionisation.

A tryptic peptide rarely carries more protons than its basic sites (N-terminus + K, R, H), so
charge states above that count get a large negative logit (like a legal-action mask). Charges
index the logits through `__index__`; oxidised methionine (token "m") shares the M embedding
plus a learned modification vector.
"""
import torch
import torch.nn as nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
VOCAB = {a: i + 1 for i, a in enumerate(AMINO)}
OX_MET = len(AMINO) + 1
MAX_LEN, MAX_CHARGE = 24, 6


class Charge:
    __slots__ = ("z",)

    def __init__(self, z):
        self.z = z

    def __index__(self):
        return self.z - 1


class ChargeStateNet(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.embed = nn.Embedding(len(AMINO) + 1, dim, padding_idx=0)
        self.oxidation = nn.Parameter(torch.zeros(dim))
        self.gru = nn.GRU(dim, dim, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(2 * dim, dim), nn.ReLU(), nn.Linear(dim, MAX_CHARGE))
        self.register_buffer("basic", torch.tensor([VOCAB["K"], VOCAB["R"], VOCAB["H"]]))

    def forward(self, residues):
        ox = residues == OX_MET
        ids = torch.where(ox, torch.full_like(residues, VOCAB["M"]), residues)
        x = self.embed(ids) + ox[..., None] * self.oxidation
        mask = (ids != 0).float()
        h, _ = self.gru(x)
        logits = self.head((h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp_min(1))
        max_z = 1 + torch.isin(ids, self.basic).sum(1)
        impossible = torch.arange(MAX_CHARGE)[None] >= max_z[:, None]
        impossible[:, Charge(1)] = False
        return logits.masked_fill(impossible, -1e4)


def _inputs(n):
    lengths = torch.randint(7, MAX_LEN + 1, (n, 1))
    seq = torch.randint(1, OX_MET + 1, (n, MAX_LEN))
    return seq * (torch.arange(MAX_LEN) < lengths)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ChargeStateNet().eval(), "inputs": _inputs, "kind": "benign"}
