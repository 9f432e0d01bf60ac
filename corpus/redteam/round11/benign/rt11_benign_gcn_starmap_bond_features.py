# expect: none
"""Edge-conditioned GCN for solubility regression-as-classification (3 bins) on padded molecular
graphs.  Bond features (one-hot order, conjugation, ring flag) are built from (i, j, order)
triples with ``itertools.starmap``; padding atoms are masked from message passing and readout.
"""
import itertools

import torch
import torch.nn as nn

PAD = 0
ORDERS = (1.0, 1.5, 2.0, 3.0)


def bond_feature(order, conjugated, ring):
    onehot = [float(order == o) for o in ORDERS]
    return onehot + [float(conjugated), float(ring)]


def bond_tensor(adj_row):
    n = len(adj_row)
    triples = [(adj_row[i][j], adj_row[i][j] == 1.5, abs(i - j) > 1) for i in range(n) for j in range(n)]
    feats = list(itertools.starmap(bond_feature, triples))
    return torch.tensor(feats).view(n, n, -1)


class EdgeConv(nn.Module):
    def __init__(self, d, e=6):
        super().__init__()
        self.edge = nn.Linear(e, d)
        self.node = nn.Linear(d, d)

    def forward(self, h, bonds, adj_mask):
        msg = torch.einsum("bijd,bjd->bid", torch.sigmoid(self.edge(bonds)) * adj_mask[..., None], self.node(h))
        return torch.relu(h + msg)


class SolubilityGCN(nn.Module):
    def __init__(self, n_types=36, d=48):
        super().__init__()
        self.embed = nn.Embedding(n_types, d, padding_idx=PAD)
        self.convs = nn.ModuleList([EdgeConv(d) for _ in range(3)])
        self.out = nn.Linear(d, 3)

    def forward(self, atoms, adj):
        bonds = torch.stack([bond_tensor(r) for r in adj.tolist()])
        node_mask = (atoms != PAD).float()
        adj_mask = (adj > 0).float() * node_mask[:, None, :]
        h = self.embed(atoms)
        for conv in self.convs:
            h = conv(h, bonds, adj_mask) * node_mask[..., None]
        return self.out(h.sum(1) / node_mask.sum(1, keepdim=True).clamp_min(1))


def _inputs(n, m=12):
    atoms = torch.tensor([6, 7, 8, 16])[torch.randint(0, 4, (n, m))]
    atoms[:, 9:] = PAD
    adj = torch.zeros(n, m, m)
    for i in range(1, 9):
        adj[:, i, i - 1] = adj[:, i - 1, i] = 1.0
    adj[:, 2, 7] = adj[:, 7, 2] = 2.0
    return atoms, adj


def corpus_case():
    torch.manual_seed(0)
    return {"model": SolubilityGCN().eval(), "inputs": _inputs, "kind": "benign"}
