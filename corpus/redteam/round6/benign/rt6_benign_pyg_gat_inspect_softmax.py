# expect: none
"""GAT graph classifier on a PyG-like ``MessagePassing`` base (molecule graphs, 4 classes).

Signature-driven argument routing with ``inspect`` (``x_i`` / ``x_j`` lifting, ``index``,
``size_i``), self-loops added only for nodes that lack one, edge softmax computed per target node
with a scatter-max shift, symmetric degree normalisation with ``where(deg > 0, deg ** -0.5, 0)``,
and padded nodes (all-zero feature rows) excluded from the mean readout.
"""
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F


def scatter(src, index, dim_size, reduce="sum"):
    shape = (dim_size,) + src.shape[1:]
    if reduce == "max":
        idx = index.view(-1, *([1] * (src.dim() - 1))).expand_as(src)
        return src.new_zeros(shape).scatter_reduce(0, idx, src, "amax", include_self=False)
    return src.new_zeros(shape).index_add_(0, index, src)


def softmax(src, index, num_nodes):
    shifted = src - scatter(src, index, num_nodes, "max")[index]
    e = shifted.exp()
    return e / (scatter(e, index, num_nodes)[index] + 1e-16)


def add_remaining_self_loops(edge_index, num_nodes):
    row, col = edge_index
    has_loop = torch.zeros(num_nodes, dtype=torch.bool)
    has_loop[row[row == col]] = True
    missing = (~has_loop).nonzero().flatten()
    return torch.cat([edge_index, torch.stack([missing, missing])], 1)


class MessagePassing(nn.Module):
    def __init__(self):
        super().__init__()
        self._msg_args = list(inspect.signature(self.message).parameters)

    def propagate(self, edge_index, size, **kwargs):
        row, col = edge_index
        pool = dict(kwargs, index=col, size_i=size)
        for k, v in kwargs.items():
            if torch.is_tensor(v) and v.shape[0] == size:
                pool[k + "_i"], pool[k + "_j"] = v[col], v[row]
        msg = self.message(**{k: pool[k] for k in self._msg_args})
        return scatter(msg, col, size)


class GATConv(MessagePassing):
    def __init__(self, c_in, c_out, heads=4):
        super().__init__()
        self.heads, self.c = heads, c_out
        self.lin = nn.Linear(c_in, heads * c_out, bias=False)
        self.att_src = nn.Parameter(torch.randn(1, heads, c_out) * 0.1)
        self.att_dst = nn.Parameter(torch.randn(1, heads, c_out) * 0.1)
        self.bias = nn.Parameter(torch.zeros(heads * c_out))

    def forward(self, x, edge_index):
        n = x.shape[0]
        edge_index = add_remaining_self_loops(edge_index, n)
        h = self.lin(x).view(n, self.heads, self.c)
        a_src, a_dst = (h * self.att_src).sum(-1), (h * self.att_dst).sum(-1)
        out = self.propagate(edge_index, n, h=h, a_src=a_src, a_dst=a_dst)
        return out.reshape(n, -1) + self.bias

    def message(self, h_j, a_src_j, a_dst_i, index, size_i):
        alpha = softmax(F.leaky_relu(a_src_j + a_dst_i, 0.2), index, size_i)
        return h_j * alpha.unsqueeze(-1)


class GATClassifier(nn.Module):
    def __init__(self, in_dim=9, hidden=16, heads=4, classes=4):
        super().__init__()
        self.conv1 = GATConv(in_dim, hidden, heads)
        self.conv2 = GATConv(hidden * heads, hidden, heads)
        self.head = nn.Linear(hidden * heads, classes)

    def forward(self, x, adj):
        b, n, f = x.shape
        real = x.abs().sum(-1) > 0                               # padded nodes are all-zero rows
        g, src, dst = adj.nonzero(as_tuple=True)
        edge_index = torch.stack([g * n + src, g * n + dst])
        deg = adj.sum(-1).flatten()
        norm = torch.where(deg > 0, deg.clamp_min(1) ** -0.5, torch.zeros_like(deg))
        h = F.elu(self.conv1(x.reshape(b * n, f), edge_index)) * norm[:, None]
        h = F.elu(self.conv2(h, edge_index)).view(b, n, -1)
        pooled = (h * real[..., None]).sum(1) / real.sum(1, keepdim=True).clamp_min(1)
        return self.head(pooled)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n, nodes=16):
        counts = torch.randint(6, nodes + 1, (n,))
        real = torch.arange(nodes)[None] < counts[:, None]
        x = torch.randn(n, nodes, 9) * real[..., None]
        a = (torch.rand(n, nodes, nodes) < 0.25).float().triu(1)
        a = (a + a.transpose(1, 2)) * (real[:, :, None] & real[:, None, :])
        return x, a

    return {"model": GATClassifier().eval(), "inputs": inputs, "kind": "benign"}
