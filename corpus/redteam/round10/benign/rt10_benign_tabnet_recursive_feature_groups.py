# expect: none
"""TabNet with grouped features (pytorch-tabnet ``grouped_features``) for insurance claims.

* Feature groups come from a nested spec (groups of groups, as exported by the feature store) that
  is flattened recursively into the group matrix used by the attentive transformer.
* Missing numeric values (NaN) are replaced by a learned fill value and their indicators are fed to
  the first layer; the per-feature learned scale is applied as ``x @ torch.diag(scale)``.
* Sparsemax attention masks (a data-dependent threshold ``tau``) select features at every step.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURE_SPEC = ("claim", [("amounts", [0, 1, 2]), ("timing", [3, 4])], ("policy", [5, [6, 7]]), 8, 9)


def leaves(spec):
    if isinstance(spec, int):
        return [spec]
    if isinstance(spec, tuple) and isinstance(spec[0], str):
        return [i for part in spec[1:] for i in leaves(part)]
    return [i for part in spec for i in leaves(part)]


def group_matrix(spec, n_features):
    groups = [leaves(part) for part in spec[1:]]
    m = torch.zeros(len(groups), n_features)
    for g, idx in enumerate(groups):
        m[g, idx] = 1.0 / len(idx)
    return m


def sparsemax(z):
    zs, _ = torch.sort(z, dim=-1, descending=True)
    k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    cums = zs.cumsum(-1)
    k_z = (1 + k * zs > cums).sum(-1, keepdim=True)
    tau = (cums.gather(-1, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0)


class GLU(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.fc, self.bn = nn.Linear(din, 2 * dout), nn.BatchNorm1d(2 * dout)

    def forward(self, x):
        return F.glu(self.bn(self.fc(x)), -1)


class GroupedTabNet(nn.Module):
    def __init__(self, n_features=10, n_d=16, n_steps=3, gamma=1.5):
        super().__init__()
        self.register_buffer("groups", group_matrix(FEATURE_SPEC, n_features))
        self.fill = nn.Parameter(torch.zeros(n_features))
        self.scale = nn.Parameter(torch.ones(n_features))
        self.initial = GLU(2 * n_features, 2 * n_d)
        self.steps = nn.ModuleList(GLU(n_features, 2 * n_d) for _ in range(n_steps))
        self.attentive = nn.ModuleList(nn.Linear(n_d, self.groups.shape[0]) for _ in range(n_steps))
        self.head = nn.Linear(n_d, 2)
        self.n_d, self.gamma = n_d, gamma

    def forward(self, x):
        missing = torch.isnan(x)
        x = torch.where(missing, self.fill.expand_as(x), x) @ torch.diag(self.scale)
        att = self.initial(torch.cat((x, missing.float()), -1))[:, self.n_d:]
        prior = torch.ones(x.shape[0], self.groups.shape[0])
        out = 0
        for step, attentive in zip(self.steps, self.attentive):
            group_mask = sparsemax(attentive(att) * prior)
            prior = prior * (self.gamma - group_mask)
            h = step(x * (group_mask @ self.groups))
            out = out + F.relu(h[:, :self.n_d])
            att = h[:, self.n_d:]
        return self.head(out)


def _inputs(n):
    x = torch.randn(n, 10)
    return x.masked_fill(torch.rand(n, 10) < 0.1, float("nan"))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GroupedTabNet().eval(), "inputs": _inputs, "kind": "benign"}
