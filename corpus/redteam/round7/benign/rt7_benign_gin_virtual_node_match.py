# expect: none
"""OGB-style molecular GIN with a virtual node, ``scatter_reduce`` max readout and padding atoms
(id 0) masked out; structural ``match`` on the input record chooses the readout."""
from typing import NamedTuple

import torch
import torch.nn as nn


class MolBatch(NamedTuple):
    atoms: torch.Tensor     # (B, N)
    adj: torch.Tensor       # (B, N, N)


class GINConv(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(1))
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, h, adj):
        return self.mlp((1 + self.eps) * h + adj @ h)


class GINVirtualNode(nn.Module):
    def __init__(self, d=64, layers=3, num_tasks=4, readout="max"):
        super().__init__()
        self.atom_encoder = nn.Embedding(120, d, padding_idx=0)
        self.convs = nn.ModuleList(GINConv(d) for _ in range(layers))
        self.vn_mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, d), nn.ReLU()) for _ in range(layers - 1))
        self.vn_init = nn.Parameter(torch.zeros(d))
        self.head = nn.Linear(d, num_tasks)
        self.readout = readout

    def pool(self, h, valid):
        b, n, d = h.shape
        graph = torch.arange(b).repeat_interleave(n)
        flat = h.reshape(b * n, d).masked_fill(~valid.reshape(-1, 1), float("-inf"))
        out = torch.full((b, d), float("-inf")).scatter_reduce(0, graph[:, None].expand(-1, d), flat, reduce="amax")
        return torch.where(torch.isfinite(out), out, torch.zeros_like(out))

    def forward(self, atoms, adj):
        match MolBatch(atoms, adj):
            case MolBatch(atoms=a, adj=A) if a.dim() == 2:
                valid = a != 0
            case _:
                raise ValueError("expected batched atoms")
        h = self.atom_encoder(a)
        vn = self.vn_init.expand(h.shape[0], -1)
        m = valid.unsqueeze(-1).to(h.dtype)
        for i, conv in enumerate(self.convs):
            h = torch.relu(conv(h + vn[:, None], A)) * m
            if i < len(self.vn_mlp):
                vn = vn + self.vn_mlp[i]((h.sum(1) / m.sum(1).clamp_min(1)) + vn)
        g = self.pool(h, valid) if self.readout == "max" else h.sum(1) / m.sum(1).clamp_min(1)
        return self.head(g)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        atoms = torch.randint(1, 20, (n, 10)) * (torch.arange(10) < torch.randint(4, 11, (n, 1)))
        adj = (torch.rand(n, 10, 10) < 0.3).float().triu(1)
        return atoms, adj + adj.transpose(1, 2)

    return {"model": GINVirtualNode().eval(), "inputs": inputs, "kind": "benign"}
