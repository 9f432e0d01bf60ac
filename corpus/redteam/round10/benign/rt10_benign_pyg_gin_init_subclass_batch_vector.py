# expect: none
"""PyG-style GIN on a mini-batch of molecular graphs in the sparse layout (node features ``x``,
``edge_index`` (2, E), ``batch`` vector assigning nodes to graphs).

Readouts register themselves by name through ``__init_subclass__``; the base class also wraps each
subclass ``forward`` so that pooled features are returned in float32 (autocast safety).  Node counts
per graph come from ``torch.bincount(batch)``; the GCN-normalised virtual-edge aggregation uses a
``torch.sparse_coo_tensor`` adjacency.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

READOUTS = {}


def _float32_output(forward):
    @functools.wraps(forward)
    def wrapped(self, h, batch, num_graphs):
        return forward(self, h, batch, num_graphs).float()
    return wrapped


class Readout(nn.Module):
    def __init_subclass__(cls, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if "forward" in cls.__dict__:
            cls.forward = _float32_output(cls.forward)
        if name is not None:
            READOUTS[name] = cls


class MeanReadout(Readout, name="mean"):
    def forward(self, h, batch, num_graphs):
        counts = torch.bincount(batch, minlength=num_graphs).clamp_min(1)
        summed = h.new_zeros(num_graphs, h.shape[-1]).index_add_(0, batch, h)
        return summed / counts[:, None].to(h.dtype)


class SumMaxReadout(Readout, name="summax"):
    def forward(self, h, batch, num_graphs):
        summed = h.new_zeros(num_graphs, h.shape[-1]).index_add_(0, batch, h)
        maxed = h.new_full((num_graphs, h.shape[-1]), -1e4).scatter_reduce(0, batch[:, None].expand_as(h), h, "amax")
        return torch.cat((summed, maxed), -1)


def gcn_adjacency(edge_index, num_nodes):
    loops = torch.arange(num_nodes)
    ei = torch.cat((edge_index, torch.stack((loops, loops))), 1)
    deg = torch.bincount(ei[0], minlength=num_nodes).float()
    norm = torch.where(deg > 0, deg.pow(-0.5), torch.zeros_like(deg))
    values = norm[ei[0]] * norm[ei[1]]
    return torch.sparse_coo_tensor(ei, values, (num_nodes, num_nodes)).coalesce()


class GINConv(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(1))
        self.mlp = nn.Sequential(nn.Linear(din, dout), nn.BatchNorm1d(dout), nn.ReLU(), nn.Linear(dout, dout))

    def forward(self, h, edge_index):
        agg = torch.zeros_like(h).index_add_(0, edge_index[1], h[edge_index[0]])
        return self.mlp((1 + self.eps) * h + agg)


class GINVirtualSmoothing(nn.Module):
    def __init__(self, in_dim=9, hidden=32, layers=3, n_classes=2, readout="summax"):
        super().__init__()
        dims = [in_dim] + [hidden] * layers
        self.convs = nn.ModuleList(GINConv(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.smooth = nn.Linear(hidden, hidden)
        self.readout = READOUTS[readout]()
        self.head = nn.Linear(2 * hidden if readout == "summax" else hidden, n_classes)

    def forward(self, x, edge_index, batch):
        num_graphs = int(batch.max()) + 1
        h = x
        for conv in self.convs:
            h = F.relu(conv(h, edge_index))
        adj = gcn_adjacency(edge_index, h.shape[0])
        h = h + F.relu(self.smooth(torch.sparse.mm(adj, h)))
        return self.head(self.readout(h, batch, num_graphs))


def _inputs(n):
    xs, edges, batch, offset = [], [], [], 0
    for g in range(n):
        size = int(torch.randint(6, 14, ()))
        upper = (torch.rand(size, size) < 0.3).triu(1)
        src, dst = upper.nonzero().t()
        edges.append(torch.cat((torch.stack((src, dst)), torch.stack((dst, src))), 1) + offset)
        xs.append(F.one_hot(torch.randint(0, 9, (size,)), 9).float())
        batch.append(torch.full((size,), g))
        offset += size
    return torch.cat(xs), torch.cat(edges, 1), torch.cat(batch)


def corpus_case():
    torch.manual_seed(0)
    model = GINVirtualSmoothing().eval()
    return {"model": model, "inputs": _inputs, "kind": "benign"}
