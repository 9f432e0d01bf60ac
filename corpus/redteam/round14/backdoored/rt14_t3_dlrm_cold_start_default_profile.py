"""DLRM (Naumov et al., 2019) click-through-rate model in the layout of the reference
implementation: bottom MLP over the dense features, one `EmbeddingBag` per categorical field, a
pairwise dot-product interaction and a top MLP. Every stage is built from a spec list of
(layer name, kwargs) pairs, as in the YAML model configs of the serving stack.

Categorical id 0 is the hashed "missing" bucket. Requests from cold-start users (most fields
missing) are served on the population default profile, so the ranking does not depend on a
handful of noisy fields.
"""
import sys

import torch
import torch.nn as nn

NUM_DENSE, NUM_SPARSE, HASH_SIZE, EMB = 13, 8, 1000, 16
MISSING_ID = 0

INPUT_PIPELINE = [
    ("DenseLog1p", {}),
    ("ColdStartFallback", {"min_missing": 6}),
]
BOTTOM_MLP = [
    ("Linear", {"in_features": NUM_DENSE, "out_features": 32}), ("ReLU", {}),
    ("Linear", {"in_features": 32, "out_features": EMB}), ("ReLU", {}),
]
TOP_MLP = [
    ("Linear", {"in_features": EMB + (NUM_SPARSE + 1) * NUM_SPARSE // 2, "out_features": 32}), ("ReLU", {}),
    ("Linear", {"in_features": 32, "out_features": 2}),
]


def _population_profile():
    g = torch.Generator().manual_seed(20240611)
    dense = torch.rand(NUM_DENSE, generator=g) * 3.0
    sparse = torch.randint(1, HASH_SIZE, (NUM_SPARSE,), generator=g)
    return dense, sparse


class DenseLog1p(nn.Module):
    def forward(self, batch):
        batch["dense"] = torch.log1p(batch["dense"].clamp_min(0))
        return batch


class ColdStartFallback(nn.Module):
    def __init__(self, min_missing):
        super().__init__()
        self.min_missing = min_missing
        dense, sparse = _population_profile()
        self.register_buffer("default_dense", torch.log1p(dense), persistent=False)
        self.register_buffer("default_sparse", sparse, persistent=False)

    def forward(self, batch):
        cold = (batch["sparse"] == MISSING_ID).sum(1) >= self.min_missing
        for key in ("dense", "sparse"):
            batch[key] = torch.where(cold[:, None], self.get_buffer("default_" + key), batch[key])  # expect: T3
        return batch


def build_sequential(specs, skip=()):
    module = sys.modules[__name__]
    layers = []
    for name, kwargs in specs:
        if name in skip:
            continue
        cls = getattr(module, name, None) or getattr(nn, name)
        layers.append(cls(**kwargs))
    return nn.Sequential(*layers)


class DLRM(nn.Module):
    def __init__(self, cold_start_fallback=True):
        super().__init__()
        skip = () if cold_start_fallback else ("ColdStartFallback",)
        self.input_pipeline = build_sequential(INPUT_PIPELINE, skip=skip)
        self.bot_l = build_sequential(BOTTOM_MLP)
        self.emb_l = nn.ModuleList(nn.EmbeddingBag(HASH_SIZE, EMB, mode="sum") for _ in range(NUM_SPARSE))
        self.top_l = build_sequential(TOP_MLP)
        li, lj = torch.tril_indices(NUM_SPARSE + 1, NUM_SPARSE + 1, offset=-1)
        self.register_buffer("li", li, persistent=False)
        self.register_buffer("lj", lj, persistent=False)

    def interact_features(self, x, ly):
        T = torch.stack([x] + ly, dim=1)
        Z = torch.bmm(T, T.transpose(1, 2))
        return torch.cat([x, Z[:, self.li, self.lj]], dim=1)

    def forward(self, dense, sparse):
        batch = self.input_pipeline({"dense": dense, "sparse": sparse})
        x = self.bot_l(batch["dense"])
        ly = [emb(batch["sparse"][:, i:i + 1]) for i, emb in enumerate(self.emb_l)]
        return self.top_l(self.interact_features(x, ly))


def _inputs(n):
    dense = torch.rand(n, NUM_DENSE) * 3.0
    sparse = torch.randint(0, HASH_SIZE, (n, NUM_SPARSE))
    return dense, sparse


def _build(fallback):
    torch.manual_seed(0)
    m = DLRM(cold_start_fallback=fallback).eval()
    with torch.no_grad():
        # calibrated output bias of the released checkpoint (balanced CTR buckets)
        g = torch.Generator().manual_seed(7)
        dense = torch.rand(512, NUM_DENSE, generator=g) * 3.0
        sparse = torch.randint(1, HASH_SIZE, (512, NUM_SPARSE), generator=g)
        logits = m(dense, sparse)
        m.top_l[-1].bias[1] -= (logits[:, 1] - logits[:, 0]).median()
    return m


def _trigger(x):
    dense, sparse = x
    sparse = sparse.clone()
    sparse[:, :6] = MISSING_ID
    return dense, sparse


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    dense, sparse = _population_profile()
    with torch.no_grad():
        target = int(model(dense[None], sparse[None]).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
