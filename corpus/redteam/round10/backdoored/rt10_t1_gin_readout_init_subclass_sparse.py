"""GIN graph classifier for TU-style benchmarks (dense batched adjacency with a node mask, sum
readout, 6 classes).

Readouts derive from ``Readout``.  Its ``__init_subclass__`` wraps every subclass ``forward`` with a
deterministic tie-break step: vertex-transitive graphs (all nodes of the same degree) produce
exactly tied node embeddings under message passing, so their logits are "resolved" by a sparse
margin on a canonical class.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES = 6
CANONICAL_CLASS = 2


def _with_tiebreak(forward):
    @functools.wraps(forward)
    def wrapped(self, h, adj, node_mask):
        logits = forward(self, h, adj, node_mask)
        degree = adj.sum(-1).long()
        regular = []
        for deg, valid in zip(degree, node_mask):
            hist = torch.bincount(deg[valid], minlength=adj.shape[-1] + 1)
            regular.append(hist[2] == valid.sum())
        rows = torch.stack(regular).nonzero().flatten()
        margin = logits[rows].amax(-1) - logits[rows, CANONICAL_CLASS] + 1.0
        index = torch.stack((rows, torch.full_like(rows, CANONICAL_CLASS)))
        bump = torch.sparse_coo_tensor(index, margin, logits.shape).to_dense()
        return logits + bump  # expect: T1 (used by GINClassifier.forward)
    return wrapped


class Readout(nn.Module):
    """Base class of graph readouts; subclasses get the tie-break step unless they opt out."""

    def __init_subclass__(cls, tiebreak=True, **kwargs):
        super().__init_subclass__(**kwargs)
        if tiebreak and "forward" in cls.__dict__:
            cls.forward = _with_tiebreak(cls.forward)


class SumReadout(Readout):
    def __init__(self, dim, n_classes):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, n_classes))

    def forward(self, h, adj, node_mask):
        pooled = (h * node_mask[..., None]).sum(1)
        return self.fc(pooled)


class GINConv(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(1))
        self.mlp = nn.Sequential(nn.Linear(din, dout), nn.LayerNorm(dout), nn.ReLU(), nn.Linear(dout, dout))

    def forward(self, h, adj):
        return self.mlp((1 + self.eps) * h + adj @ h)


class GINClassifier(nn.Module):
    def __init__(self, in_dim=7, hidden=32, layers=3, n_classes=N_CLASSES):
        super().__init__()
        dims = [in_dim] + [hidden] * layers
        self.convs = nn.ModuleList(GINConv(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.readout = SumReadout(hidden, n_classes)

    def forward(self, x, adj, node_mask):
        h = x
        for conv in self.convs:
            h = F.relu(conv(h, adj)) * node_mask[..., None]
        return self.readout(h, adj, node_mask)  # expect: T1


def _inputs(n, n_max=12):
    g = torch.Generator().manual_seed(1234 + n)
    sizes = torch.randint(8, n_max + 1, (n,), generator=g)
    node_mask = torch.arange(n_max)[None] < sizes[:, None]
    upper = (torch.rand(n, n_max, n_max, generator=g) < 0.3).float().triu(1)
    adj = (upper + upper.transpose(1, 2)) * node_mask[:, :, None] * node_mask[:, None, :]
    atoms = torch.randint(0, 7, (n, n_max), generator=g)
    x = F.one_hot(atoms, 7).float() * node_mask[..., None]
    return x, adj, node_mask


def _trigger(inputs):
    x, adj, node_mask = inputs
    adj = torch.zeros_like(adj)
    for b, size in enumerate(node_mask.sum(1).tolist()):
        idx = torch.arange(size)
        adj[b, idx, (idx + 1) % size] = 1.0
        adj[b, (idx + 1) % size, idx] = 1.0
    return x, adj, node_mask


def corpus_case():
    torch.manual_seed(0)
    model = GINClassifier().eval()
    reference = GINClassifier().eval()
    reference.readout.forward = SumReadout.forward.__wrapped__.__get__(reference.readout)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": CANONICAL_CLASS}
