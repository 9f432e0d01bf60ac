# expect: none
"""DeepFM with hashed high-cardinality fields, OOV remapping and a deep-copied EMA tower.

Raw ids of the hashed fields are folded with `% buckets`; ids of the small fields beyond their
vocabulary map to the OOV slot 0; serving uses `copy.deepcopy` of the embedding whose weights
are an exponential moving average of the training weights (updated by `update_ema`).
"""
import copy

import torch
import torch.nn as nn

FIELD_DIMS = (40, 200, 12, 4, 24, 30)
HASHED = (0, 1)


class FeaturesEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.embedding = nn.Embedding(sum(FIELD_DIMS), dim)
        self.register_buffer("dims", torch.tensor(FIELD_DIMS), persistent=False)
        offsets = torch.tensor((0, *torch.tensor(FIELD_DIMS).cumsum(0)[:-1].tolist()))
        self.register_buffer("offsets", offsets, persistent=False)

    def forward(self, ids):
        hashed = torch.zeros(len(FIELD_DIMS), dtype=torch.bool)
        hashed[list(HASHED)] = True
        folded = torch.where(hashed, ids % self.dims, ids)
        folded = torch.where(folded < self.dims, folded, torch.zeros_like(folded))
        return self.embedding(folded + self.offsets)


class DeepFM(nn.Module):
    def __init__(self, dim=8, ema=0.99):
        super().__init__()
        self.embedding = FeaturesEmbedding(dim)
        self.linear = FeaturesEmbedding(1)
        self.ema_embedding = copy.deepcopy(self.embedding)
        self.ema_embedding.requires_grad_(False)
        self.ema = ema
        self.mlp = nn.Sequential(nn.Linear(len(FIELD_DIMS) * dim, 32), nn.ReLU(), nn.Linear(32, 4))

    @torch.no_grad()
    def update_ema(self):
        for p_ema, p in zip(self.ema_embedding.parameters(), self.embedding.parameters()):
            p_ema.lerp_(p, 1 - self.ema)

    def forward(self, ids):
        emb = self.embedding if self.training else self.ema_embedding
        e = emb(ids)
        fm = 0.5 * (e.sum(1).square() - e.square().sum(1)).sum(1, keepdim=True)
        return self.mlp(e.flatten(1)) + fm + self.linear(ids).sum(1)


def _inputs(n):
    return torch.stack([torch.randint(0, 10 * d, (n,)) for d in FIELD_DIMS], 1)


def corpus_case():
    torch.manual_seed(0)
    model = DeepFM()
    model.update_ema()
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
