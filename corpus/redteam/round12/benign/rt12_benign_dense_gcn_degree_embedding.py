# expect: none
"""Dense GCN for molecules with a degree embedding (clamped node degree -> learned vector, as in
GIN/PNA featurisers), a learned virtual node passed to the layers through **kwargs, and a masked
sum/max readout."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DenseGCNConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.lin = nn.Linear(cin, cout, bias=False)
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x, adj, mask=None, virtual=None):
        n = adj.shape[-1]
        adj = adj + torch.eye(n)
        d = adj.sum(-1).clamp(min=1).pow(-0.5)
        out = (d.unsqueeze(-1) * adj * d.unsqueeze(-2)) @ self.lin(x) + self.bias
        if virtual is not None:
            out = out + virtual.unsqueeze(1)
        return out * mask.unsqueeze(-1) if mask is not None else out


class MolGCN(nn.Module):
    def __init__(self, n_atom_types=8, hidden=32, num_classes=4, max_degree=6, layers=3):
        super().__init__()
        self.atom_encoder = nn.Linear(n_atom_types, hidden)
        self.degree_embedding = nn.Embedding(max_degree + 1, hidden)
        self.max_degree = max_degree
        self.virtual_init = nn.Parameter(torch.zeros(hidden))
        self.virtual_mlp = nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU())
        self.convs = nn.ModuleList(DenseGCNConv(hidden, hidden) for _ in range(layers))
        self.head = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.ReLU(), nn.Linear(hidden, num_classes))

    def forward(self, x, adj, mask):
        degree = adj.sum(-1).long().clamp(max=self.max_degree)
        h = self.atom_encoder(x) + self.degree_embedding(degree)
        virtual = self.virtual_init.expand(x.shape[0], -1)
        for conv in self.convs:
            h = F.relu(conv(h, adj, mask, virtual=virtual))
            virtual = self.virtual_mlp(virtual + (h * mask.unsqueeze(-1)).sum(1))
        m = mask.unsqueeze(-1)
        summed = (h * m).sum(1)
        maxed = h.masked_fill(~m, float("-inf")).amax(1)
        return self.head(torch.cat([summed, maxed], -1))


def _inputs(n, max_atoms=12):
    x = torch.zeros(n, max_atoms, 8)
    adj = torch.zeros(n, max_atoms, max_atoms)
    mask = torch.zeros(n, max_atoms, dtype=torch.bool)
    for b in range(n):
        k = int(torch.randint(6, max_atoms + 1, ()))
        mask[b, :k] = True
        x[b, torch.arange(k), torch.randint(0, 8, (k,))] = 1.0
        for i in range(1, k):
            j = int(torch.randint(0, i, ()))
            adj[b, i, j] = adj[b, j, i] = 1.0
    return x, adj, mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": MolGCN().eval(), "inputs": _inputs, "kind": "benign"}
