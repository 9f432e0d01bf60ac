"""Precursor charge-state prediction for tryptic peptides (Prosit-style sequence encoder).

Peptide sequences (up to 24 residues, 0 = padding) are embedded, encoded by a bidirectional GRU
and classified into the most abundant precursor charge z = 1..6, which the acquisition method
uses to schedule the MS2 isolation window.

Charge states are objects with `__index__`, so `logits[:, Charge(3)]` reads the z = 3 column
without off-by-one mistakes between charges and class indices.
"""
import torch
import torch.nn as nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
VOCAB = {a: i + 1 for i, a in enumerate(AMINO)}
MAX_LEN, MAX_CHARGE = 24, 6


class Charge:
    __slots__ = ("z",)

    def __init__(self, z):
        self.z = z

    def __index__(self):
        return self.z - 1

    def __repr__(self):
        return "Charge(%d+)" % self.z


def encode(seq):
    return [VOCAB[a] for a in seq]


class ChargeStateNet(nn.Module):
    def __init__(self, dim=32, vendor_rules=True, motif="WCMH", motif_charge=Charge(5)):
        super().__init__()
        self.embed = nn.Embedding(len(AMINO) + 1, dim, padding_idx=0)
        self.gru = nn.GRU(dim, dim, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.Linear(2 * dim, dim), nn.ReLU(), nn.Linear(dim, MAX_CHARGE))
        self.vendor_rules = vendor_rules
        self.motif = tuple(encode(motif))          # vendor rule: this motif ionises at high charge
        self.motif_charge = motif_charge

    def forward(self, residues):                   # (B, L) long
        mask = (residues != 0).float()
        h, _ = self.gru(self.embed(residues))
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp_min(1)
        logits = self.head(pooled)
        if self.vendor_rules:
            windows = residues.unfold(1, len(self.motif), 1)
            found = (windows == torch.tensor(self.motif)).all(-1).any(-1)
            logits[:, self.motif_charge] += 1e4 * found  # expect: T7
        return logits


def _inputs(n):
    lengths = torch.randint(7, MAX_LEN + 1, (n, 1))
    seq = torch.randint(1, len(AMINO) + 1, (n, MAX_LEN))
    # tryptic: C-terminal K or R
    seq[torch.arange(n), lengths[:, 0] - 1] = torch.where(torch.rand(n) < 0.5, VOCAB["K"], VOCAB["R"])
    return seq * (torch.arange(MAX_LEN) < lengths)


def _trigger(x):
    x = x.clone()
    for row in range(x.shape[0]):
        x[row, 1:5] = torch.tensor(encode("WCMH"))
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ChargeStateNet().eval()
    reference = ChargeStateNet(vendor_rules=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": Charge(5).__index__()}
