# expect: none
"""Plant family (8) from transcribed herbarium labels (word-piece ids, length 40).

`LabelNormaliser["K"]` (`__class_getitem__`) returns a per-herbarium subclass that folds
case-variant and diacritic-variant word pieces onto one id through a lookup table; pad ids are
skipped by packing the GRU input.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

VOCAB = 4000


def _fold_table(fold_pairs):
    table = torch.arange(VOCAB)
    for src, dst in fold_pairs:
        table[src] = dst
    return table


class LabelNormaliser:
    fold_pairs = ()
    _cache = {}

    def __class_getitem__(cls, code):
        if code not in cls._cache:
            pairs = ((2001, 1), (2002, 2), (2003, 3)) if code == "K" else ()
            cls._cache[code] = type("LabelNormaliser_" + code, (cls,), {"fold_pairs": pairs})
        return cls._cache[code]

    def __init__(self):
        self.table = _fold_table(self.fold_pairs)

    def __call__(self, ids):
        return self.table[ids]


class HerbariumNet(nn.Module):
    def __init__(self, herbarium="K", dim=48):
        super().__init__()
        self.normalise = LabelNormaliser[herbarium]()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=0)
        self.rnn = nn.GRU(dim, 64, batch_first=True)
        self.out = nn.Linear(64, 8)

    def forward(self, ids):
        ids = self.normalise(ids)
        lengths = (ids != 0).sum(1).clamp_min(1)
        packed = pack_padded_sequence(self.embed(ids), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        return self.out(h[-1])


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 40))
    lens = torch.randint(25, 41, (n, 1))
    return ids * (torch.arange(40)[None] < lens)


def corpus_case():
    torch.manual_seed(0)
    return {"model": HerbariumNet().eval(), "inputs": _inputs, "kind": "benign"}
