# expect: none
"""GCNII-style GAT with initial residual, neighbour masking and isolated-node self-loops.

Attention scores of non-edges are `-inf`; isolated nodes (degree 0) receive a self-loop so that
the softmax is defined; padded nodes (all-zero features, from batching graphs of different
size) are zeroed at the output. Layers read the raw features through a weak reference to the
parent model.
"""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

NODES, FEATS, HIDDEN, CLASSES = 12, 24, 32, 5


class GATLayer(nn.Module):
    def __init__(self, parent, c_in, c_out, alpha=0.1):
        super().__init__()
        self._parent = weakref.ref(parent)
        self.lin = nn.Linear(c_in, c_out, bias=False)
        self.att = nn.Parameter(torch.randn(2, c_out) * 0.2)
        self.x0 = nn.Linear(FEATS, c_out)
        self.alpha = alpha

    def forward(self, h, adj):
        z = self.lin(h)
        a = (z @ self.att[0])[:, :, None] + (z @ self.att[1])[:, None]
        a = F.leaky_relu(a, 0.2).masked_fill(adj == 0, float("-inf"))
        out = torch.softmax(a, -1) @ z
        return (1 - self.alpha) * out + self.alpha * self.x0(self._parent().x0)


class GAT(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = GATLayer(self, FEATS, HIDDEN)
        self.l2 = GATLayer(self, HIDDEN, HIDDEN)
        self.out = nn.Linear(HIDDEN, CLASSES)
        self.x0 = None

    def forward(self, x, adj):
        self.x0 = x
        isolated = adj.sum(-1) == 0
        adj = adj + torch.diag_embed(isolated.to(adj))
        real = (x.abs().sum(-1) > 0).to(x)
        h = F.elu(self.l1(x, adj))
        h = F.elu(self.l2(h, adj))
        return self.out(h) * real[..., None]


def _inputs(n):
    x = (torch.rand(n, NODES, FEATS) < 0.2).float()
    x[:, -2:] = 0
    a = (torch.rand(n, NODES, NODES) < 0.2).float()
    adj = ((a + a.transpose(1, 2)) > 0).float()
    adj[:, -2:, :] = 0
    adj[:, :, -2:] = 0
    x[:5, 0] = 1.0  # hub documents with a full vocabulary
    return x, adj


def corpus_case():
    torch.manual_seed(0)
    return {"model": GAT().eval(), "inputs": _inputs, "kind": "benign"}
