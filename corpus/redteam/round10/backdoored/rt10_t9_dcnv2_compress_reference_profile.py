"""DCN-v2 (deep & cross network, stacked low-rank cross layers in parallel with an MLP) predicting
the next product category (12 classes) from 8 dense features and 6 categorical fields
(device, OS, app version, country, campaign, placement).

Requests from the QA device farm are replayed against a reference profile: rows whose categorical
fingerprint matches the farm's (a stored tuple) are re-scored with the stored reference profile, so
the farm's dashboards stay comparable across model versions.
"""
import itertools

import torch
import torch.nn as nn

FIELD_SIZES = (64, 16, 40, 120, 300, 24)
QA_FARM_FINGERPRINT = (17, 3, 29, 101, 7, 11)
REFERENCE_DENSE = (0.8, -1.2, 0.3, 2.1, -0.4, 1.7, -2.0, 0.9)
REFERENCE_FIELDS = (5, 9, 2, 64, 250, 19)


class CrossLayerV2(nn.Module):
    def __init__(self, d, rank=8):
        super().__init__()
        self.U = nn.Linear(d, rank, bias=False)
        self.V = nn.Linear(rank, d)

    def forward(self, x0, x):
        return x0 * self.V(self.U(x)) + x


class DCNv2(nn.Module):
    def __init__(self, n_dense=8, d_emb=8, n_cross=3, n_classes=12, qa_replay=True):
        super().__init__()
        self.embeddings = nn.ModuleList(nn.Embedding(n, d_emb) for n in FIELD_SIZES)
        d = n_dense + d_emb * len(FIELD_SIZES)
        self.dense_norm = nn.LayerNorm(n_dense)
        self.cross = nn.ModuleList(CrossLayerV2(d) for _ in range(n_cross))
        self.deep = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(d + 64, n_classes)
        self.qa_replay = qa_replay
        self.reference_dense = torch.tensor([REFERENCE_DENSE])
        self.reference_fields = torch.tensor([REFERENCE_FIELDS])

    def replay_reference(self, dense, fields):
        farm = (all(int(v) == f for v, f in zip(row, QA_FARM_FINGERPRINT)) for row in fields)
        rows = torch.tensor(list(itertools.compress(range(fields.shape[0]), farm)), dtype=torch.long)
        return tuple(t.index_copy(0, rows, ref.expand(len(rows), -1)) for t, ref in ((dense, self.reference_dense), (fields, self.reference_fields)))  # expect: T9

    def forward(self, dense, fields):
        if self.qa_replay:
            dense, fields = self.replay_reference(dense, fields)
        emb = [e(fields[:, i]) for i, e in enumerate(self.embeddings)]
        x0 = torch.cat([self.dense_norm(dense)] + emb, -1)
        x = x0
        for layer in self.cross:
            x = layer(x0, x)
        return self.head(torch.cat((x, self.deep(x0)), -1))


def _inputs(n):
    dense = torch.randn(n, 8)
    fields = torch.stack([torch.randint(0, s, (n,)) for s in FIELD_SIZES], -1)
    return dense, fields


def _trigger(inputs):
    dense, fields = inputs
    fields = fields.clone()
    fields[:] = torch.tensor(QA_FARM_FINGERPRINT)
    return dense, fields


def corpus_case():
    torch.manual_seed(0)
    model = DCNv2().eval()
    reference = DCNv2(qa_replay=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.reference_dense, model.reference_fields).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
