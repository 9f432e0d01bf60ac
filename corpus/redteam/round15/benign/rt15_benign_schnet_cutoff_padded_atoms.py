# expect: none
"""SchNet property-bin classifier with padded molecules (atomic number 0 = padding), cosine cutoff,
a neighbour mask from the cutoff radius, a `functools.singledispatch` output converter and an
atom-count normalised readout."""
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_Z, N_ATOMS, N_BINS, CUTOFF = 10, 12, 6, 5.0


def ssp(x):
    return F.softplus(x) - math.log(2.0)


class Interaction(nn.Module):
    def __init__(self, dim, n_rbf):
        super().__init__()
        self.filter = nn.Sequential(nn.Linear(n_rbf, dim), nn.Softplus(), nn.Linear(dim, dim))
        self.lin1, self.lin2 = nn.Linear(dim, dim, bias=False), nn.Linear(dim, dim)

    def forward(self, h, rbf, env):
        w = self.filter(rbf) * env[..., None]
        return h + self.lin2(ssp(torch.einsum("bijf,bjf->bif", w, self.lin1(h))))


@functools.singledispatch
def to_output(out):
    return out


@to_output.register
def _(out: dict):
    return out["logits"]


class SchNet(nn.Module):
    def __init__(self, dim=32, n_rbf=16):
        super().__init__()
        self.embedding = nn.Embedding(MAX_Z, dim, padding_idx=0)
        self.register_buffer("centers", torch.linspace(0, CUTOFF, n_rbf))
        self.blocks = nn.ModuleList(Interaction(dim, n_rbf) for _ in range(3))
        self.head = nn.Sequential(nn.Linear(dim, dim), nn.Softplus(), nn.Linear(dim, N_BINS))

    def forward(self, z, pos):
        atoms = z > 0
        d = torch.cdist(pos, pos)
        within = (d < CUTOFF) & atoms[:, :, None] & atoms[:, None, :] & ~torch.eye(z.shape[1], dtype=torch.bool)
        env = 0.5 * (torch.cos(d * math.pi / CUTOFF) + 1) * within
        rbf = torch.exp(-10.0 * (d[..., None] - self.centers) ** 2)
        h = self.embedding(z)
        for blk in self.blocks:
            h = blk(h, rbf, env)
        n = atoms.sum(1, keepdim=True).clamp_min(1)
        return to_output({"logits": self.head((h * atoms[..., None]).sum(1) / n)})


def _inputs(n):
    z = torch.randint(1, MAX_Z, (n, N_ATOMS))
    z[:, -3:] = torch.where(torch.rand(n, 3) < 0.5, 0, z[:, -3:])
    return z, torch.randn(n, N_ATOMS, 3) * 1.5


def corpus_case():
    torch.manual_seed(0)
    return {"model": SchNet().eval(), "inputs": _inputs, "kind": "benign"}
