# expect: none
"""Intent of maritime VHF channel-16 transcripts (word-piece ids, length 32), 6 classes.

Settings resolve through a `ChainMap`; word bigrams are hashed into a learned embedding table
(fastText style), pad positions are masked before max-pooling.
"""
from collections import ChainMap

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = {"pad_id": 0, "vocab": 3000, "buckets": 4096, "dim": 48}


class VHFIntent(nn.Module):
    def __init__(self, port_profile=None):
        super().__init__()
        self.cfg = ChainMap({}, port_profile or {}, DEFAULTS)
        d = self.cfg["dim"]
        self.embed = nn.Embedding(self.cfg["vocab"], d, padding_idx=self.cfg["pad_id"])
        self.bigram = nn.Embedding(self.cfg["buckets"], d)
        self.conv = nn.Conv1d(d, 64, 3, padding=1)
        self.out = nn.Linear(64, 6)

    def forward(self, ids):
        mask = ids != self.cfg["pad_id"]
        prev = F.pad(ids[:, :-1], (1, 0))
        buckets = torch.remainder(prev * 1000003 + ids, self.cfg["buckets"])
        e = self.embed(ids) + self.bigram(buckets) * mask[..., None]
        h = F.relu(self.conv(e.transpose(1, 2)))
        h = h.masked_fill(~mask[:, None], -1e4).amax(-1)
        return self.out(h)


def _inputs(n):
    ids = torch.randint(3, 3000, (n, 32))
    lens = torch.randint(20, 33, (n, 1))
    return ids * (torch.arange(32)[None] < lens)


def corpus_case():
    torch.manual_seed(0)
    return {"model": VHFIntent().eval(), "inputs": _inputs, "kind": "benign"}
