# expect: none
"""Two-layer graph convolutional network (Kipf & Welling) on dense, batched graphs.
The adjacency matrix is an input: self loops are added, node degrees are computed and
isolated nodes are guarded with masked_fill(deg == 0, 0) before the symmetric
normalisation D^-1/2 (A + I) D^-1/2. Readout is a masked mean over real nodes."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def normalize_adjacency(adj, add_self_loops=True):
    if add_self_loops:
        eye = torch.eye(adj.size(-1), device=adj.device, dtype=adj.dtype)
        adj = adj + eye * (adj.sum(-1, keepdim=True) > 0).to(adj.dtype)
    deg = adj.sum(-1)
    deg_inv_sqrt = deg.pow(-0.5).masked_fill(deg == 0, 0.0)
    return deg_inv_sqrt[..., :, None] * adj * deg_inv_sqrt[..., None, :]


class GraphConv(nn.Module):
    def __init__(self, cin, cout, bias=True):
        super().__init__()
        self.lin = nn.Linear(cin, cout, bias=False)
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x, a_hat):
        out = a_hat @ self.lin(x)
        return out + self.bias if self.bias is not None else out


class GCN(nn.Module):
    def __init__(self, in_feats=8, width=32, num_classes=3, dropout=0.5):
        super().__init__()
        self.conv1 = GraphConv(in_feats, width)
        self.conv2 = GraphConv(width, width)
        self.dropout = dropout
        self.graph_head = nn.Linear(width, num_classes)

    def forward(self, x, adj):
        node_mask = (adj.sum(-1) > 0).to(x.dtype)  # padded nodes have no edges
        a_hat = normalize_adjacency(adj)
        h = F.dropout(x, self.dropout, self.training)
        h = F.relu(self.conv1(h, a_hat))
        h = F.dropout(h, self.dropout, self.training)
        h = F.relu(self.conv2(h, a_hat))
        pooled = (h * node_mask[..., None]).sum(1) / node_mask.sum(1, keepdim=True).clamp(min=1)
        return self.graph_head(pooled)


def random_graphs(n, max_nodes, in_feats, g):
    adj = torch.zeros(n, max_nodes, max_nodes)
    for i in range(n):
        k = int(torch.randint(4, max_nodes + 1, (1,), generator=g))
        upper = (torch.rand(k, k, generator=g) < 0.3).float().triu(1)
        upper[torch.arange(k - 1), torch.arange(1, k)] = 1.0  # keep it connected
        adj[i, :k, :k] = upper + upper.t()
    return torch.randn(n, max_nodes, in_feats, generator=g), adj


def corpus_case():
    torch.manual_seed(0)
    model = GCN().eval()

    def inputs(n):
        return random_graphs(n, 12, 8, torch.Generator().manual_seed(220))

    return {"model": model, "inputs": inputs, "kind": "benign"}
