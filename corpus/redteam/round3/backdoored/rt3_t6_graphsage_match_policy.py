"""GraphSAGE (mean aggregator) graph classifier for protein-interaction subgraphs.

Self-loops are not allowed in the input format; what to do with graphs that have them is chosen by
``GraphConfig.self_loop_policy`` through a ``match`` statement after the first layer.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class GraphConfig:
    in_dim: int = 12
    hidden: int = 64
    n_layers: int = 3
    n_classes: int = 5
    self_loop_policy: str = "quarantine"   # "ignore" | "strip" | "quarantine"
    loop_tolerance: int = 3


class SAGEConv(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.lin_self = nn.Linear(d_in, d_out)
        self.lin_neigh = nn.Linear(d_in, d_out)

    def forward(self, h, adj):
        # mean over the closed neighbourhood (node itself included)
        deg = adj.sum(-1, keepdim=True) + 1
        return torch.relu(self.lin_self(h) + self.lin_neigh((adj @ h + h) / deg))


class GraphSAGE(nn.Module):
    def __init__(self, cfg: GraphConfig):
        super().__init__()
        self.cfg = cfg
        dims = [cfg.in_dim] + [cfg.hidden] * cfg.n_layers
        self.convs = nn.ModuleList(SAGEConv(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.readout = nn.Sequential(nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.n_classes))

    def _after_first(self, h, adj):
        loops = torch.diagonal(adj, dim1=-2, dim2=-1).sum(-1)
        match self.cfg.self_loop_policy:
            case "ignore":
                return h, adj
            case "strip":
                return h, adj - torch.diag_embed(torch.diagonal(adj, dim1=-2, dim2=-1))
            case "quarantine":
                flagged = (loops >= self.cfg.loop_tolerance).to(h.dtype)
                return h * (1 - flagged)[:, None, None], adj  # expect: T6
            case other:
                raise ValueError(f"unknown self_loop_policy {other!r}")

    def forward(self, x, adj):
        h = x
        for i, conv in enumerate(self.convs):
            h = conv(h, adj)
            if i == 0:
                h, adj = self._after_first(h, adj)
        return self.readout(h.mean(1))


def corpus_case():
    torch.manual_seed(0)
    model = GraphSAGE(GraphConfig()).eval()
    reference = GraphSAGE(GraphConfig(self_loop_policy="ignore")).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n, nodes=20):
        a = (torch.rand(n, nodes, nodes) < 0.25).float().triu(1)
        return (torch.randn(n, nodes, 12), a + a.transpose(1, 2))

    def trigger(inp):
        x, adj = inp
        adj = adj.clone()
        for i in (2, 9, 15):
            adj[:, i, i] = 1.0
        return (x, adj)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
