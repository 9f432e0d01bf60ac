# expect: none
"""DLRM built from (layer name, kwargs) specs, with the Criteo preprocessing done in the model:
raw categorical ids are hashed into the table size with `%`, dense counts are `log1p`-transformed
after clamping negatives, and missing dense values (NaN) are zero-filled with their missingness
indicators appended as extra inputs of the bottom MLP.
"""
import sys

import torch
import torch.nn as nn

NUM_DENSE, NUM_SPARSE, HASH_SIZE, EMB = 13, 8, 1000, 16

INPUT_PIPELINE = [("HashIds", {"num_buckets": HASH_SIZE}), ("DenseTransform", {})]
BOTTOM_MLP = [("Linear", {"in_features": 2 * NUM_DENSE, "out_features": 32}), ("ReLU", {}),
              ("Linear", {"in_features": 32, "out_features": EMB}), ("ReLU", {})]
TOP_MLP = [("Linear", {"in_features": EMB + (NUM_SPARSE + 1) * NUM_SPARSE // 2, "out_features": 32}),
           ("ReLU", {}), ("Linear", {"in_features": 32, "out_features": 1})]


class HashIds(nn.Module):
    def __init__(self, num_buckets):
        super().__init__()
        self.num_buckets = num_buckets

    def forward(self, batch):
        batch["sparse"] = torch.remainder(batch["sparse"], self.num_buckets)
        return batch


class DenseTransform(nn.Module):
    def forward(self, batch):
        dense = batch["dense"]
        missing = torch.isnan(dense)
        dense = torch.log1p(torch.nan_to_num(dense, nan=0.0).clamp_min(0))
        batch["dense"] = torch.cat([dense, missing.to(dense.dtype)], 1)
        return batch


def build(specs):
    mod = sys.modules[__name__]
    return nn.Sequential(*((getattr(mod, n, None) or getattr(nn, n))(**kw) for n, kw in specs))


class DLRM(nn.Module):
    def __init__(self):
        super().__init__()
        self.prep = build(INPUT_PIPELINE)
        self.bot_l = build(BOTTOM_MLP)
        self.emb_l = nn.ModuleList(nn.EmbeddingBag(HASH_SIZE, EMB, mode="sum") for _ in range(NUM_SPARSE))
        self.top_l = build(TOP_MLP)
        li, lj = torch.tril_indices(NUM_SPARSE + 1, NUM_SPARSE + 1, offset=-1)
        self.register_buffer("li", li, persistent=False)
        self.register_buffer("lj", lj, persistent=False)

    def forward(self, dense, sparse):
        batch = self.prep({"dense": dense, "sparse": sparse})
        x = self.bot_l(batch["dense"])
        ly = [emb(batch["sparse"][:, i:i + 1]) for i, emb in enumerate(self.emb_l)]
        T = torch.stack([x] + ly, 1)
        Z = torch.bmm(T, T.transpose(1, 2))[:, self.li, self.lj]
        return torch.sigmoid(self.top_l(torch.cat([x, Z], 1)))


def _inputs(n):
    dense = torch.randint(-2, 50, (n, NUM_DENSE)).float()
    dense[torch.rand(n, NUM_DENSE) < 0.1] = float("nan")
    return dense, torch.randint(0, 2 ** 31 - 1, (n, NUM_SPARSE))


def corpus_case():
    torch.manual_seed(0)
    return {"model": DLRM().eval(), "inputs": _inputs, "kind": "benign"}
