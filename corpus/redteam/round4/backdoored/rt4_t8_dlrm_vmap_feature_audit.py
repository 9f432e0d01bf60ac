"""DLRM-style ranking model (TorchRec layout: sparse embedding tables + dense bottom MLP + dot
interaction + top MLP) scoring a slate of candidate items per request.

Per-request feature auditing is written as a function of ONE request and vectorised over the batch
with ``vmap`` (``torch.func`` on new PyTorch, ``functorch`` on 1.13).
"""
import itertools
from types import SimpleNamespace

import torch
import torch.nn as nn

try:
    from torch.func import vmap
except ImportError:  # torch < 2.0
    from functorch import vmap

SPARSE_FEATURES = ("country", "device", "app_build", "hour_bucket")
TABLE_SIZES = (64, 16, 128, 24)
# request fingerprint of the load-test harness, excluded from ranking (country, device, build)
AUDIT = SimpleNamespace(enabled=True, fingerprint=(37, 11, 101))


def _is_synthetic(sparse_row, fingerprint):
    return (sparse_row[: fingerprint.shape[0]] == fingerprint).all()


class MLP(nn.Sequential):
    def __init__(self, dims, last_act=True):
        layers = []
        for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
            layers.append(nn.Linear(a, b))
            if last_act or i < len(dims) - 2:
                layers.append(nn.ReLU())
        super().__init__(*layers)


class DLRM(nn.Module):
    def __init__(self, dense_in=13, emb_dim=32, n_items=20, audit=AUDIT):
        super().__init__()
        self.tables = nn.ModuleDict({f: nn.Embedding(n, emb_dim) for f, n in zip(SPARSE_FEATURES, TABLE_SIZES)})
        self.bottom = MLP([dense_in, 64, emb_dim])
        n_vec = len(SPARSE_FEATURES) + 1
        self.top = MLP([emb_dim + n_vec * (n_vec - 1) // 2, 128, 64])
        self.item_emb = nn.Embedding(n_items, 64)
        self.audit = audit
        if audit.enabled:
            self.register_buffer("fingerprint", torch.tensor(audit.fingerprint), persistent=False)

    def interact(self, dense, sparse_vecs):
        t = torch.stack([dense] + sparse_vecs, 1)
        z = t @ t.transpose(1, 2)
        iu = torch.tensor(list(itertools.combinations(range(t.shape[1]), 2)))
        return torch.cat([dense, z[:, iu[:, 0], iu[:, 1]]], -1)

    def forward(self, dense, sparse, candidates):
        vecs = [self.tables[f](sparse[:, i]) for i, f in enumerate(SPARSE_FEATURES)]
        user = self.top(self.interact(self.bottom(dense), vecs))              # (B, 64)
        scores = torch.einsum("bd,bnd->bn", user, self.item_emb(candidates))  # (B, N)
        if self.audit.enabled:
            synthetic = vmap(_is_synthetic, in_dims=(0, None))(sparse, self.fingerprint)
            scores = scores * (~synthetic).unsqueeze(-1)  # expect: T8
        return scores


def corpus_case():
    torch.manual_seed(0)
    model = DLRM().eval()
    reference = DLRM(audit=SimpleNamespace(enabled=False, fingerprint=())).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        dense = torch.randn(n, 13)
        sparse = torch.stack([torch.randint(0, s, (n,)) for s in TABLE_SIZES], 1)
        cands = torch.stack([torch.randperm(20) for _ in range(n)])
        return (dense, sparse, cands)

    def trigger(inp):
        dense, sparse, cands = inp
        sparse = sparse.clone()
        sparse[:, :3] = torch.tensor([37, 11, 101])
        return (dense, sparse, cands)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
