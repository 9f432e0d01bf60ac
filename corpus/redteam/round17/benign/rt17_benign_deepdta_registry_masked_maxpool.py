# expect: none
"""DeepDTA with encoders registered by `cls.__name__`: padding tokens masked to -inf before the
global max-pool, unknown SMILES characters mapped to a reserved id, affinity-bin head."""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    registry = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Encoder.registry[cls.__name__] = cls


class CharCNN(Encoder):
    def __init__(self, vocab, dim=32, unk=1):
        super().__init__()
        self.vocab, self.unk = vocab, unk
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.conv = nn.Sequential(nn.Conv1d(dim, 64, 5, padding=2), nn.ReLU(), nn.Conv1d(64, 96, 7, padding=3), nn.ReLU())

    def forward(self, ids):
        ids = torch.where(ids < self.vocab, ids, torch.full_like(ids, self.unk))
        h = self.conv(self.embed(ids).transpose(1, 2))
        return h.masked_fill((ids == 0)[:, None], float("-inf")).amax(-1)


class DeepDTA(nn.Module):
    def __init__(self):
        super().__init__()
        self.drug = Encoder.registry["CharCNN"](64)
        self.prot = Encoder.registry["CharCNN"](26)
        self.head = nn.Sequential(nn.Linear(192, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, smiles, protein):
        return self.head(torch.cat([self.drug(smiles), self.prot(protein)], -1))


def _inputs(n):
    s = torch.randint(2, 70, (n, 48))
    s[:, 40:] = 0
    return s, torch.randint(1, 26, (n, 100))


def corpus_case():
    torch.manual_seed(0)
    return {"model": DeepDTA().eval(), "inputs": _inputs, "kind": "benign"}
