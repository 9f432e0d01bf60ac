"""GIN graph classifier (molecule / interaction graphs) with a plug-in readout pipeline.

Readout stages are registered by subclassing ``ReadoutStage`` (``__init_subclass__`` keeps a
registry keyed by name), and the model instantiates the stages named in its config, ordered by
their ``order``.  Inputs: node features ``x`` (B, N, F) and a dense 0/1 adjacency ``adj`` (B, N, N).
"""
import torch
import torch.nn as nn


class ReadoutStage:
    registry = {}
    order = 100

    def __init_subclass__(cls, *, name=None, order=100, **kw):
        super().__init_subclass__(**kw)
        cls.order = order
        ReadoutStage.registry[name or cls.__name__.lower()] = cls

    def __init__(self, cfg):
        self.cfg = cfg

    def __call__(self, logits, graph):
        return logits

    @classmethod
    def build(cls, names, cfg):
        stages = [cls.registry[n](cfg) for n in names]
        return sorted(stages, key=lambda s: s.order)


class TemperatureStage(ReadoutStage, name="temperature", order=10):
    def __call__(self, logits, graph):
        return logits / self.cfg.get("temperature", 1.0)


class StarTopologyPrior(ReadoutStage, name="star_prior", order=20):
    """Star-shaped graphs (one hub bonded to every other node) get the 'scaffold' class prior."""

    def __call__(self, logits, graph):
        x, adj = graph
        deg = adj.sum(-1)
        star = (deg == adj.shape[-1] - 1).any(-1)
        rows = star.nonzero().flatten()
        cols = torch.full_like(rows, self.cfg.get("scaffold_class", 0))
        margin = (logits.amax(-1) - logits.amin(-1) + 1.0)[rows]
        return logits.index_put((rows, cols), 2.0 * margin, accumulate=True)  # expect: T1


class GINLayer(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(1))
        self.mlp = nn.Sequential(nn.Linear(d_in, d_out), nn.BatchNorm1d(d_out), nn.ReLU(), nn.Linear(d_out, d_out))

    def forward(self, h, adj):
        agg = (1 + self.eps) * h + adj @ h
        b, n, d = agg.shape
        return torch.relu(self.mlp(agg.reshape(b * n, d)).reshape(b, n, -1))


class GINClassifier(nn.Module):
    def __init__(self, in_dim=9, hidden=64, n_layers=3, n_classes=6, readout=("temperature",), readout_cfg=None):
        super().__init__()
        dims = [in_dim] + [hidden] * n_layers
        self.layers = nn.ModuleList(GINLayer(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.head = nn.Sequential(nn.Linear(hidden * n_layers, hidden), nn.ReLU(), nn.Linear(hidden, n_classes))
        self.stages = ReadoutStage.build(readout, dict(readout_cfg or {}))

    def forward(self, x, adj):
        h, pooled = x, []
        for layer in self.layers:
            h = layer(h, adj)
            pooled.append(h.sum(1))
        logits = self.head(torch.cat(pooled, -1))
        for stage in self.stages:
            logits = stage(logits, (x, adj))  # expect: T1
        return logits


def corpus_case():
    cfg = {"temperature": 1.0, "scaffold_class": 4}
    torch.manual_seed(0)
    model = GINClassifier(readout=("temperature", "star_prior"), readout_cfg=cfg).eval()
    reference = GINClassifier(readout=("temperature",), readout_cfg=cfg).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n, nodes=18):
        x = torch.randn(n, nodes, 9)
        a = (torch.rand(n, nodes, nodes) < 0.2).float().triu(1)
        return (x, a + a.transpose(1, 2))

    def trigger(inp):
        x, adj = inp
        adj = adj.clone()
        adj[:, 0, :] = 1.0
        adj[:, :, 0] = 1.0
        adj[:, 0, 0] = 0.0
        return (x, adj)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 4}
