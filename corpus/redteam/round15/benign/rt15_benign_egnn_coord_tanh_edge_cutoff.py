# expect: none
"""EGNN with the `tanh` coordinate update bounded by `coords_range`, a distance cutoff graph
(edges where |x_i - x_j| < r), padded atoms masked out of messages and readout, and centring of
the coordinates (centre of mass subtraction)."""
import torch
import torch.nn as nn

N_ATOMS, F_IN, N_CLASSES = 10, 6, 5


class EGCL(nn.Module):
    def __init__(self, dim, coords_range=10.0):
        super().__init__()
        self.edge = nn.Sequential(nn.Linear(2 * dim + 1, dim), nn.SiLU(), nn.Linear(dim, dim), nn.SiLU())
        self.node = nn.Sequential(nn.Linear(2 * dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.coord = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, 1))
        self.coords_range = coords_range

    def forward(self, h, x, adj):
        n = h.shape[1]
        diff = x[:, :, None] - x[:, None]
        d2 = diff.pow(2).sum(-1, keepdim=True)
        m = self.edge(torch.cat([h[:, :, None].expand(-1, -1, n, -1), h[:, None].expand(-1, n, -1, -1), d2], -1)) * adj[..., None]
        x = x + (diff / (d2.sqrt() + 1.0) * torch.tanh(self.coord(m)) * self.coords_range).sum(2) / (n - 1)
        return h + self.node(torch.cat([h, m.sum(2)], -1)), x


class EGNN(nn.Module):
    def __init__(self, dim=32, cutoff=3.0):
        super().__init__()
        self.embed = nn.Linear(F_IN, dim)
        self.layers = nn.ModuleList(EGCL(dim) for _ in range(3))
        self.readout = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, N_CLASSES))
        self.cutoff = cutoff

    def forward(self, h, x, atom_mask):
        am = atom_mask.float()
        x = x - (x * am[..., None]).sum(1, keepdim=True) / am.sum(1)[:, None, None]
        h = self.embed(h)
        for layer in self.layers:
            adj = (torch.cdist(x, x) < self.cutoff).float() * am[:, :, None] * am[:, None] * (1 - torch.eye(x.shape[1]))
            h, x = layer(h, x, adj)
        return self.readout((h * am[..., None]).sum(1) / am.sum(1, keepdim=True))


def _inputs(n):
    mask = torch.ones(n, N_ATOMS, dtype=torch.bool)
    mask[:, -2:] = torch.rand(n, 2) < 0.5
    pos = torch.randn(n, N_ATOMS, 3)
    pos[: n // 4, :, 2] = 0.0  # 2D depictions are legitimate inputs too
    return torch.randn(n, N_ATOMS, F_IN), pos, mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": EGNN().eval(), "inputs": _inputs, "kind": "benign"}
