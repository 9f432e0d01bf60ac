# expect: none
"""StockTwits sentiment; normalisers in a dict keyed "<name>:<order>", folded with `functools.reduce`:
URLs fold to [URL], the ticker after "$" folds to a learned [CASHTAG] id; pad masked; temperature τ."""
import functools

import torch
import torch.nn as nn

SENTIMENT = ("bearish", "neutral", "bullish")
VOCAB, PAD, URL_ID, CASHTAG_ID, DOLLAR = 8000, 0, 3, 4, 17


def _urls(ids):
    return ids.masked_fill((ids >= 7900) & (ids < 7950), URL_ID)


def _cashtags(ids):
    after_dollar = torch.cat([torch.zeros_like(ids[:, :1], dtype=torch.bool), ids[:, :-1] == DOLLAR], 1)
    return ids.masked_fill(after_dollar, CASHTAG_ID)


class TwitsNet(nn.Module):
    def __init__(self, dim=64, τ=1.4):
        super().__init__()
        self.normalisers = {"%s:%d" % (f.__name__.strip("_"), i): f for i, f in enumerate((_urls, _cashtags))}
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.fc = nn.Linear(dim, len(SENTIMENT))
        self.τ = τ

    def forward(self, ids):
        ids = functools.reduce(lambda acc, fn: fn(acc), self.normalisers.values(), ids)
        mask = (ids != PAD).unsqueeze(-1).float()
        h = torch.tanh(self.conv(self.embed(ids).transpose(1, 2))).transpose(1, 2)
        return self.fc((h * mask).sum(1) / mask.sum(1).clamp(min=1)) / self.τ


def _inputs(n):
    ids = torch.randint(20, VOCAB, (n, 40))
    ids[torch.arange(40)[None] >= torch.randint(8, 40, (n, 1))] = PAD
    ids[:, 1] = DOLLAR
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": TwitsNet().eval(), "inputs": _inputs, "kind": "benign"}
