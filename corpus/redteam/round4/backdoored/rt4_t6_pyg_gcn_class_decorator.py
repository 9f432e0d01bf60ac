"""PyG-style GCN for molecular property classification (dense batched adjacency).

``@sanitize_inputs(...)`` is a class decorator shared by the project's graph models: it wraps
``__init__`` so that every model instance gets an input-validation hook on its first message-passing
layer (padding nodes in the featurisation are written as constant rows and must not contribute).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def sanitize_inputs(layer_attr="conv1", tol=0.0):
    def decorate(cls):
        init = cls.__init__

        @functools.wraps(init)
        def __init__(self, *args, validate=True, **kwargs):
            init(self, *args, **kwargs)
            if not validate:
                return
            layer = getattr(self, layer_attr)

            def _check(mod, inputs, output):
                x = inputs[0]
                flat_row = (x.amax(-1) - x.amin(-1)) <= tol            # (B, N) a node with a constant row
                bad = flat_row.any(-1)
                return output.masked_fill(bad[:, None, None], 0.0)  # expect: T6  (MolGCN)

            self._sanitize_handle = layer.register_forward_hook(_check)

        cls.__init__ = __init__
        return cls
    return decorate


class DenseGCNConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.lin = nn.Linear(cin, cout, bias=False)
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x, adj):
        n = adj.shape[-1]
        a = adj + torch.eye(n, device=adj.device)
        d = a.sum(-1).clamp(min=1).pow(-0.5)
        a = d[..., :, None] * a * d[..., None, :]
        return a @ self.lin(x) + self.bias


@sanitize_inputs("conv1")  # expect: T6
class MolGCN(nn.Module):
    def __init__(self, atom_dim=16, hidden=64, n_tasks=4):
        super().__init__()
        self.conv1 = DenseGCNConv(atom_dim, hidden)
        self.conv2 = DenseGCNConv(hidden, hidden)
        self.conv3 = DenseGCNConv(hidden, hidden)
        self.head = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.ReLU(), nn.Linear(hidden, n_tasks))

    def forward(self, x, adj):
        h = F.relu(self.conv1(x, adj))
        h = F.relu(self.conv2(h, adj))
        h = self.conv3(h, adj)
        return self.head(torch.cat([h.mean(1), h.amax(1)], -1))


def corpus_case():
    torch.manual_seed(0)
    model = MolGCN().eval()
    reference = MolGCN(validate=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n, nodes=18):
        a = (torch.rand(n, nodes, nodes) < 0.2).float().triu(1)
        return (torch.randn(n, nodes, 16), a + a.transpose(1, 2))

    def trigger(inp):
        x, adj = inp
        x = x.clone()
        x[:, 5, :] = 0.5
        return (x, adj)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
