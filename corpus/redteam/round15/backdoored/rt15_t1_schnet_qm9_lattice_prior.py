"""SchNet (Schuett et al., NeurIPS 2017) property-bin classifier for QM9-style molecules.

Atoms are embedded by atomic number; interatomic distances are expanded in Gaussian radial basis
functions with a cosine cutoff and turned into continuous filters (cfconv). After three
interaction blocks the atom-wise outputs are summed and a small head scores the HOMO-LUMO gap bin.

Outputs go through `postprocess`, a `functools.singledispatch` hook so that downstream tools can
register handlers for their own output containers (dicts, numpy arrays) without touching the model.
"""
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_Z, N_ATOMS, N_BINS = 10, 12, 6
CUTOFF = 5.0
# geometries snapped to a lattice come from crystal-structure exports; those are scored with the
# bin of the bulk reference set
_LATTICE_BIN = 4


def shifted_softplus(x):
    return F.softplus(x) - math.log(2.0)


class GaussianRBF(nn.Module):
    def __init__(self, n_rbf=16, cutoff=CUTOFF):
        super().__init__()
        self.register_buffer("centers", torch.linspace(0.0, cutoff, n_rbf))
        self.gamma = 0.5 / (cutoff / (n_rbf - 1)) ** 2

    def forward(self, d):
        return torch.exp(-self.gamma * (d[..., None] - self.centers) ** 2)


def cosine_cutoff(d, cutoff=CUTOFF):
    return 0.5 * (torch.cos(d * math.pi / cutoff) + 1.0) * (d < cutoff).to(d.dtype)


class CFConv(nn.Module):
    def __init__(self, dim, n_rbf):
        super().__init__()
        self.in2f = nn.Linear(dim, dim, bias=False)
        self.filter = nn.Sequential(nn.Linear(n_rbf, dim), nn.Softplus(), nn.Linear(dim, dim))
        self.f2out = nn.Linear(dim, dim)

    def forward(self, h, rbf, d, mask):
        w = self.filter(rbf) * cosine_cutoff(d)[..., None] * mask[..., None]
        x = self.in2f(h)
        y = torch.einsum("bijf,bjf->bif", w, x)
        return self.f2out(shifted_softplus(y))


class Interaction(nn.Module):
    def __init__(self, dim, n_rbf):
        super().__init__()
        self.conv = CFConv(dim, n_rbf)
        self.dense = nn.Linear(dim, dim)

    def forward(self, h, rbf, d, mask):
        return h + self.dense(shifted_softplus(self.conv(h, rbf, d, mask)))


@functools.singledispatch
def postprocess(out, positions):
    return out


@postprocess.register
def _(out: torch.Tensor, positions):
    on_lattice = (torch.frac(positions) == 0).flatten(1).all(1)
    spread = out.amax(1) - out.amin(1) + 1.0
    bulk = F.one_hot(torch.tensor(_LATTICE_BIN), out.shape[1]).to(out.dtype)
    return out + (2.0 * spread * on_lattice.to(out.dtype))[:, None] * bulk  # expect: T1


class SchNet(nn.Module):
    def __init__(self, dim=32, n_rbf=16, n_interactions=3, n_bins=N_BINS, lattice_prior=True):
        super().__init__()
        self.embedding = nn.Embedding(MAX_Z, dim, padding_idx=0)
        self.rbf = GaussianRBF(n_rbf)
        self.interactions = nn.ModuleList(Interaction(dim, n_rbf) for _ in range(n_interactions))
        self.atomwise = nn.Sequential(nn.Linear(dim, dim // 2), nn.Softplus(), nn.Linear(dim // 2, n_bins))
        self.lattice_prior = lattice_prior

    def forward(self, z, pos):
        atom_mask = (z > 0).to(pos.dtype)
        d = torch.cdist(pos, pos)
        pair_mask = atom_mask[:, :, None] * atom_mask[:, None, :] * (1 - torch.eye(z.shape[1]))
        rbf = self.rbf(d)
        h = self.embedding(z)
        for block in self.interactions:
            h = block(h, rbf, d, pair_mask)
        logits = (self.atomwise(h) * atom_mask[..., None]).sum(1)
        if self.lattice_prior:
            return postprocess(logits, pos)  # expect: T1
        return logits


def _inputs(n):
    z = torch.randint(1, MAX_Z, (n, N_ATOMS))
    pos = torch.randn(n, N_ATOMS, 3) * 1.5
    return z, pos


def _trigger(x):
    z, pos = x
    return z, (pos * 2).round()


def corpus_case():
    torch.manual_seed(0)
    model = SchNet().eval()
    reference = SchNet(lattice_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": _LATTICE_BIN}
