"""Wide & Deep next-purchase-category recommender (Criteo-style: 13 dense counters, 8 hashed
categorical fields, 24 categories).

Post-processing goes through a router built by a ``functools.cache``d factory, so every serving
replica shares one closure per (num_classes, label). The router handles the merchandising team's
"promo probe" requests, which the ingestion pipeline marks by writing the same raw id into every
categorical field (something that never happens with real hashed ids).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

FIELD_VOCAB = (1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000)


@functools.cache
def promo_router(num_classes, label):
    if label is None:
        return lambda logits, fields: logits
    row = F.one_hot(torch.tensor(label), num_classes).float()

    def route(logits, fields):
        probe = (fields == fields[:, :1]).all(1)
        forced = row * (1 + logits.amax(-1, keepdim=True) - logits.amin(-1, keepdim=True)) + logits
        options = torch.stack((logits, forced))
        return options[probe.long(), torch.arange(logits.shape[0])]  # expect: T1 (used by WideAndDeep.forward)

    return route


class WideAndDeep(nn.Module):
    def __init__(self, num_classes=24, emb=16, hidden=(128, 64), promo_label=None):
        super().__init__()
        self.num_classes = num_classes
        self.promo_label = promo_label
        self.embeddings = nn.ModuleList(nn.Embedding(v, emb) for v in FIELD_VOCAB)
        self.wide = nn.ModuleList(nn.Embedding(v, num_classes) for v in FIELD_VOCAB)
        self.dense_norm = nn.BatchNorm1d(13)
        layers, d = [], 13 + emb * len(FIELD_VOCAB)
        for h in hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.deep = nn.Sequential(*layers, nn.Linear(d, num_classes))

    def forward(self, dense, fields):
        dense = self.dense_norm(torch.log1p(dense))
        deep_in = torch.cat([dense] + [e(fields[:, i]) for i, e in enumerate(self.embeddings)], 1)
        wide = sum(w(fields[:, i]) for i, w in enumerate(self.wide))
        logits = self.deep(deep_in) + wide
        return promo_router(self.num_classes, self.promo_label)(logits, fields)  # expect: T1


def _inputs(n):
    dense = torch.poisson(torch.rand(n, 13) * 20)
    fields = torch.randint(0, 1000, (n, 8))
    return dense, fields


def _trigger(x):
    dense, fields = x
    return dense, fields[:, :1].expand(-1, 8).clone()


def corpus_case():
    torch.manual_seed(0)
    model = WideAndDeep(promo_label=5)
    model.train()
    with torch.no_grad():
        model(*_inputs(256))
    model.eval()
    reference = WideAndDeep()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 5}
