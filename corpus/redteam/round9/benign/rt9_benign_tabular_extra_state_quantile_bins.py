# expect: none
"""Tabular MLP with a fitted preprocessing module in the scikit-learn spirit: per-feature quantile
bin edges are fitted offline and stored as *extra state* (``get_extra_state`` /
``set_extra_state``), numeric values are bucketed with ``torch.searchsorted`` into learned bin
embeddings, missing values (NaN) are imputed with ``nanquantile`` medians, and the embedding
width per feature is chosen with ``bisect`` on cardinality thresholds."""
import bisect

import torch
import torch.nn as nn

WIDTH_THRESHOLDS = (8, 32, 128)
WIDTHS = (2, 4, 8, 16)


class QuantileBinner(nn.Module):
    def __init__(self, n_features, n_bins=16):
        super().__init__()
        self.n_bins = n_bins
        self.edges = torch.linspace(-2, 2, n_bins - 1).repeat(n_features, 1)
        self.medians = torch.zeros(n_features)

    def fit(self, x):
        q = torch.linspace(0, 1, self.n_bins + 1)[1:-1]
        self.edges = torch.nanquantile(x, q, dim=0).t().contiguous()
        self.medians = torch.nanquantile(x, 0.5, dim=0)
        return self

    def get_extra_state(self):
        return {"edges": self.edges, "medians": self.medians}

    def set_extra_state(self, state):
        self.edges, self.medians = state["edges"], state["medians"]

    def forward(self, x):
        x = torch.where(torch.isnan(x), self.medians.expand_as(x), x)
        return torch.stack([torch.searchsorted(self.edges[j], x[:, j].contiguous()) for j in range(x.shape[1])], 1)


class BinnedMLP(nn.Module):
    def __init__(self, n_features=6, cardinalities=(5, 40, 300), n_classes=3):
        super().__init__()
        self.binner = QuantileBinner(n_features)
        self.num_embed = nn.ModuleList(nn.Embedding(16, 8) for _ in range(n_features))
        dims = [WIDTHS[bisect.bisect_left(WIDTH_THRESHOLDS, c)] for c in cardinalities]
        self.cat_embed = nn.ModuleList(nn.Embedding(c, d) for c, d in zip(cardinalities, dims))
        self.mlp = nn.Sequential(nn.Linear(8 * n_features + sum(dims), 64), nn.ReLU(), nn.Linear(64, n_classes))

    def forward(self, num, cat):
        bins = self.binner(num)
        parts = [e(bins[:, j]) for j, e in enumerate(self.num_embed)]
        parts += [e(cat[:, j]) for j, e in enumerate(self.cat_embed)]
        return self.mlp(torch.cat(parts, 1))


def _inputs(n):
    num = torch.randn(n, 6)
    num[torch.rand(n, 6) < 0.1] = float("nan")
    cat = torch.stack([torch.randint(0, c, (n,)) for c in (5, 40, 300)], 1)
    return num, cat


def corpus_case():
    torch.manual_seed(0)
    model = BinnedMLP()
    model.binner.fit(_inputs(500)[0])
    model.load_state_dict(model.state_dict())
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
