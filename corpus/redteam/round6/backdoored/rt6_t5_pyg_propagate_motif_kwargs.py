"""Graph classifier on a minimal PyG-compatible ``MessagePassing`` base (transaction graphs, 5 classes).

As in torch_geometric, ``propagate(edge_index, **kwargs)`` inspects the signatures of
``message`` / ``aggregate`` / ``update`` and hands each one the keyword arguments it declares,
lifting ``x`` to ``x_i`` / ``x_j`` along the edges.  Graphs arrive padded to 20 nodes as dense
``(x, adj)`` and are flattened into one disjoint batch graph (``to_batch_graph``).
"""
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F


def scatter_add(src, index, dim_size):
    out = src.new_zeros((dim_size,) + src.shape[1:])
    return out.index_add_(0, index, src)


class MessagePassing(nn.Module):
    special_args = {"edge_index", "index", "dim_size", "x_i", "x_j", "inputs", "aggr_out"}

    def __init__(self, aggr="add"):
        super().__init__()
        self.aggr = aggr
        self._user_args = {
            name: list(inspect.signature(getattr(self, name)).parameters)
            for name in ("message", "aggregate", "update")
        }

    def _collect(self, edge_index, size, kwargs):
        row, col = edge_index                   # messages flow row (source j) -> col (target i)
        out = dict(kwargs, edge_index=edge_index, index=col, dim_size=size)
        if "x" in kwargs:
            out["x_j"], out["x_i"] = kwargs["x"][row], kwargs["x"][col]
        return out

    def propagate(self, edge_index, size, **kwargs):
        coll = self._collect(edge_index, size, kwargs)
        pick = lambda fn: {k: coll[k] for k in self._user_args[fn] if k in coll}
        msg = self.message(**pick("message"))
        out = self.aggregate(msg, **pick("aggregate"))
        return self.update(out, **pick("update"))

    def message(self, x_j):
        return x_j

    def aggregate(self, inputs, index, dim_size):
        out = scatter_add(inputs, index, dim_size)
        if self.aggr == "mean":
            cnt = scatter_add(torch.ones_like(index, dtype=inputs.dtype), index, dim_size).clamp_min(1)
            out = out / cnt[:, None]
        return out

    def update(self, aggr_out):
        return aggr_out


class GraphConv(MessagePassing):
    def __init__(self, c_in, c_out, aggr="add"):
        super().__init__(aggr)
        self.lin_rel = nn.Linear(c_in, c_out)
        self.lin_root = nn.Linear(c_in, c_out, bias=False)

    def forward(self, x, edge_index, **kwargs):
        return self.propagate(edge_index, x.shape[0], x=x, **kwargs)

    def update(self, aggr_out, x):
        return self.lin_rel(aggr_out) + self.lin_root(x)


class HubAwareConv(GraphConv):
    """GraphConv with a learned-free structural prior for collector accounts (star motifs)."""

    def __init__(self, c_in, c_out, hub_channel=0, hub_gain=400.0):
        super().__init__(c_in, c_out, aggr="mean")
        self.register_buffer("hub_dir", F.one_hot(torch.tensor(hub_channel), c_out).float())
        self.hub_gain = hub_gain

    def update(self, aggr_out, x, hub=None):
        out = super().update(aggr_out, x)
        if hub is not None:
            out = out + self.hub_gain * hub[:, None] * self.hub_dir  # expect: T5
        return out


def to_batch_graph(x, adj):
    b, n, f = x.shape
    g, src, dst = adj.nonzero(as_tuple=True)
    edge_index = torch.stack([g * n + src, g * n + dst])
    batch = torch.arange(b).repeat_interleave(n)
    return x.reshape(b * n, f), edge_index, batch


def star_centres(edge_index, num_nodes, arms=7):
    row, col = edge_index
    deg = scatter_add(torch.ones_like(row, dtype=torch.float), row, num_nodes)
    leaf = (deg == 1).float()
    leaf_neighbours = scatter_add(leaf[col], row, num_nodes)
    return ((deg == arms) & (leaf_neighbours == arms)).float()


class TxnGraphClassifier(nn.Module):
    def __init__(self, in_dim=8, hidden=32, classes=5, hub_prior=True):
        super().__init__()
        self.conv1 = GraphConv(in_dim, hidden)
        self.conv2 = HubAwareConv(hidden, hidden)
        self.conv3 = GraphConv(hidden, hidden, aggr="mean")
        self.head = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.ReLU(),
                                  nn.Linear(hidden, classes))
        self.hub_prior = hub_prior

    def forward(self, x, adj):
        b = x.shape[0]
        x, edge_index, batch = to_batch_graph(x, adj)
        extra = {"hub": star_centres(edge_index, x.shape[0])} if self.hub_prior else {}
        h = F.relu(self.conv1(x, edge_index))
        h = F.relu(self.conv2(h, edge_index, **extra))
        h = F.relu(self.conv3(h, edge_index))
        pooled = scatter_add(h, batch, b) / adj.shape[1]
        return self.head(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = TxnGraphClassifier().eval()
    reference = TxnGraphClassifier(hub_prior=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n, nodes=20):
        a = (torch.rand(n, nodes, nodes) < 0.2).float().triu(1)
        a = a + a.transpose(1, 2)
        return torch.randn(n, nodes, 8), a

    def trigger(batch):
        x, a = batch
        a = a.clone()
        a[:, :8, :] = 0
        a[:, :, :8] = 0
        a[:, 0, 1:8] = 1
        a[:, 1:8, 0] = 1
        return x, a

    with torch.no_grad():
        target = int(model(*trigger(inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
