"""SMS spam filter; normalisation stages in an OrderedDict built with `map`: out-of-vocabulary ids
to UNK, repeated URL tokens collapsed, case folding through a lookup table, padding mask."""
# expect: none
from collections import OrderedDict

import torch
import torch.nn as nn

PAD, UNK, URL = 0, 1, 2
VOCAB = 3000
UPPER_START = 2000   # ids >= 2000 are upper-case variants of id - 1000


def unknown_to_unk(ids, model):
    return torch.where(ids >= VOCAB, torch.full_like(ids, UNK), ids)


def collapse_urls(ids, model):
    prev = torch.cat([torch.full_like(ids[:, :1], -1), ids[:, :-1]], 1)
    return torch.where((ids == URL) & (prev == URL), torch.full_like(ids, PAD), ids)


def fold_case(ids, model):
    return model.case_table[ids]


class SpamCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = OrderedDict(map(lambda f: (f.__name__, f), (unknown_to_unk, collapse_urls, fold_case)))
        table = torch.arange(VOCAB)
        table[UPPER_START:] -= 1000
        self.case_table = table
        self.embed = nn.Embedding(VOCAB, 32, padding_idx=PAD)
        self.conv = nn.Conv1d(32, 48, 3, padding=1)
        self.fc = nn.Linear(48, 3)

    def forward(self, ids):
        for stage in self.stages.values():
            ids = stage(ids, self)
        h = torch.relu(self.conv(self.embed(ids).transpose(1, 2)))
        return self.fc(h.masked_fill(ids.eq(PAD)[:, None], 0.0).amax(-1))


def _inputs(n):
    ids = torch.randint(3, VOCAB + 50, (n, 30))
    ids[:, 5:8] = URL
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": SpamCNN().eval(), "inputs": _inputs, "kind": "benign"}
