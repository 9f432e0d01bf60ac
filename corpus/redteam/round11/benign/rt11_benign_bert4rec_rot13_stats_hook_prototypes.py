# expect: none
"""BERT4Rec-lite recommender with prototype re-ranking.

The activation-statistics hook target comes from the deployment manifest in rot13 form (decoded
with ``codecs``) and only records the RMS of the layer output.  Item scores are the dot products
with the output embeddings plus a learned prototype affinity computed with ``pairwise_distance``
to learned session prototypes.  The softmax temperature lives in a closure cell that the serving
code may adjust (``cell_contents``) for calibration.
"""
import codecs

import torch
import torch.nn as nn
import torch.nn.functional as F

MANIFEST = {"stats_tap": "rapbqre.ynlref.1"}


def make_temperature_scaler(t=1.0):
    temperature = t

    def scale(logits):
        return logits / temperature

    return scale


class BERT4RecProto(nn.Module):
    def __init__(self, n_items=600, d=64, n_proto=8):
        super().__init__()
        self.items = nn.Embedding(n_items, d)
        self.pos = nn.Embedding(20, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.prototypes = nn.Parameter(torch.randn(n_proto, d))
        self.proto_items = nn.Linear(n_proto, n_items)
        self.scale = make_temperature_scaler()
        self.rms = {}
        tap = codecs.decode(MANIFEST["stats_tap"], "rot13")
        self.get_submodule(tap).register_forward_hook(self._record)

    def _record(self, module, inputs, output):
        self.rms["encoder"] = float(output.pow(2).mean().sqrt())

    def calibrate(self, temperature):
        cell = self.scale.__closure__[self.scale.__code__.co_freevars.index("temperature")]
        cell.cell_contents = temperature

    def forward(self, items):
        h = self.encoder(self.items(items) + self.pos(torch.arange(items.shape[1]))[None])[:, -1]
        dist = torch.stack([F.pairwise_distance(h, p.expand_as(h)) for p in self.prototypes], -1)
        scores = h @ self.items.weight.t() + self.proto_items(torch.softmax(-dist, -1))
        return self.scale(scores)


def _inputs(n):
    return torch.randint(1, 600, (n, 20))


def corpus_case():
    torch.manual_seed(0)
    model = BERT4RecProto().eval()
    model.calibrate(1.3)
    return {"model": model, "inputs": _inputs, "kind": "benign"}
