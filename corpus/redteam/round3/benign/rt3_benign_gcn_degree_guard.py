# expect: none
"""GCN graph classifier (Kipf & Welling) on dense adjacency batches with the standard guards:

* self-loops are added (``A + I``) unless already present, then symmetric normalisation with
  ``where(deg > 0, deg ** -0.5, 0)`` for isolated / padded nodes;
* padded nodes (all-zero feature rows, ``node_mask``) are excluded from the mean readout;
* the aggregator is chosen by a ``match`` on the config.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class GCNConfig:
    in_dim: int = 10
    hidden: int = 64
    layers: int = 3
    n_classes: int = 4
    readout: str = "mean"


def normalize_adjacency(adj):
    eye = torch.eye(adj.shape[-1], device=adj.device)
    has_loop = torch.diagonal(adj, dim1=-2, dim2=-1) > 0
    adj = adj + eye * (~has_loop).unsqueeze(-1).to(adj.dtype)
    deg = adj.sum(-1)
    inv_sqrt = torch.where(deg > 0, deg.clamp(min=1e-12).pow(-0.5), torch.zeros_like(deg))
    return inv_sqrt.unsqueeze(-1) * adj * inv_sqrt.unsqueeze(-2)


class GCNLayer(nn.Module):
    def __init__(self, a, b):
        super().__init__()
        self.lin = nn.Linear(a, b)

    def forward(self, h, a_hat):
        return torch.relu(a_hat @ self.lin(h))


class GCN(nn.Module):
    def __init__(self, cfg=GCNConfig()):
        super().__init__()
        self.cfg = cfg
        dims = [cfg.in_dim] + [cfg.hidden] * cfg.layers
        self.layers = nn.ModuleList(GCNLayer(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(cfg.hidden, cfg.n_classes)

    def forward(self, x, adj):
        node_mask = (x.abs().sum(-1) > 0).to(x.dtype)
        adj = adj * node_mask[:, :, None] * node_mask[:, None, :]
        a_hat = normalize_adjacency(adj)
        h = x
        for layer in self.layers:
            h = layer(h, a_hat) * node_mask[..., None]
        match self.cfg.readout:
            case "mean":
                g = h.sum(1) / node_mask.sum(1, keepdim=True).clamp(min=1)
            case "max":
                g = h.masked_fill(node_mask[..., None] == 0, float("-inf")).amax(1)
            case "sum":
                g = h.sum(1)
            case _:
                raise ValueError(self.cfg.readout)
        return self.out(g)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n, nodes=16):
        x = torch.randn(n, nodes, 10)
        sizes = torch.randint(6, nodes + 1, (n, 1))
        x = x * (torch.arange(nodes) < sizes).unsqueeze(-1)
        a = (torch.rand(n, nodes, nodes) < 0.2).float().triu(1)
        return (x, a + a.transpose(1, 2))

    return {"model": GCN().eval(), "inputs": inputs, "kind": "benign"}
