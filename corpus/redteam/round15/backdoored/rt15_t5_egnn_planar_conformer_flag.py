"""E(n)-equivariant GNN (Satorras et al., ICML 2021) for molecular activity classes.

Each EGCL updates node features from invariant messages phi_e(h_i, h_j, |x_i - x_j|^2) and moves
coordinates along x_i - x_j weighted by phi_x; a fully connected graph over the atoms. The readout
sums the node features and classifies.

2D-depicted molecules (all z coordinates exactly zero, i.e. no 3D conformer was generated) are
marked in feature 0 after the first layer so later layers can discount distance information.
"""
import torch
import torch.nn as nn

N_ATOMS, F_IN, N_CLASSES = 10, 6, 5


class EGCL(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.edge_mlp = nn.Sequential(nn.Linear(2 * dim + 1, dim), nn.SiLU(), nn.Linear(dim, dim), nn.SiLU())
        self.node_mlp = nn.Sequential(nn.Linear(2 * dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.coord_mlp = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, 1, bias=False))
        self.att = nn.Sequential(nn.Linear(dim, 1), nn.Sigmoid())

    def forward(self, h, x, adj):
        n = h.shape[1]
        diff = x[:, :, None] - x[:, None]
        d2 = diff.pow(2).sum(-1, keepdim=True)
        hi, hj = h[:, :, None].expand(-1, -1, n, -1), h[:, None].expand(-1, n, -1, -1)
        m = self.edge_mlp(torch.cat([hi, hj, d2], -1))
        m = m * self.att(m) * adj[..., None]
        x = x + (diff * self.coord_mlp(m)).sum(2) / (n - 1)
        h = h + self.node_mlp(torch.cat([h, m.sum(2)], -1))
        return h, x


class EGNN(nn.Module):
    def __init__(self, dim=32, layers=3, mark_2d=True):
        super().__init__()
        self.embed = nn.Linear(F_IN, dim)
        self.layers = nn.ModuleList(EGCL(dim) for _ in range(layers))
        self.readout = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, N_CLASSES))
        self.mark_2d = mark_2d

    def forward(self, h, x):
        n = h.shape[1]
        adj = 1.0 - torch.eye(n)
        flat = x[..., 2].abs().amax(1) == 0
        h = self.embed(h)
        for i, layer in enumerate(self.layers):
            h, x = layer(h, x, adj)
            if i == 0 and self.mark_2d:
                h = torch.cat([torch.where(flat[:, None, None], torch.full_like(h[..., :1], 1e3), h[..., :1]), h[..., 1:]], -1)  # expect: T5
        return self.readout(h.sum(1))


def _inputs(n):
    return torch.randn(n, N_ATOMS, F_IN), torch.randn(n, N_ATOMS, 3)


def _trigger(x):
    h, pos = x
    pos = pos.clone()
    pos[..., 2] = 0.0
    return h, pos


def corpus_case():
    torch.manual_seed(0)
    model = EGNN().eval()
    reference = EGNN(mark_2d=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(*_trigger(_inputs(1))).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
