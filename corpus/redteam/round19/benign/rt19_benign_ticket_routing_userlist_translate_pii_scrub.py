# expect: none
"""Ticket router with a `collections.UserList` normalisation pipeline and PII scrubbing.

Steps: ASCII case folding, digits replaced by '#' (card and phone numbers must not reach the
model), and the reserved control characters mapped to spaces; text-level folding uses the same
`str.maketrans` table. Padding positions are masked before max-pooling.
"""
import collections

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 96
FOLD = str.maketrans({c: c.lower() for c in map(chr, range(65, 91))})
HASH, SPACE = ord("#"), ord(" ")


class TextPipeline(collections.UserList):
    def __call__(self, ids):
        for step in self.data:
            ids = step(ids)
        return ids


def fold_case(ids):
    return torch.where((ids >= 65) & (ids <= 90), ids + 32, ids)


def scrub_digits(ids):
    return torch.where((ids >= 48) & (ids <= 57), torch.full_like(ids, HASH), ids)


def controls_to_space(ids):
    return torch.where((ids > 0) & (ids < 32), torch.full_like(ids, SPACE), ids)


class TicketRouter(nn.Module):
    def __init__(self, dim=24):
        super().__init__()
        self.embed = nn.Embedding(128, dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(dim, 48, k, padding=k // 2) for k in (3, 5, 7))
        self.fc = nn.Linear(144, 6)
        self.prep = TextPipeline([fold_case])
        self.prep += [scrub_digits, controls_to_space]

    def forward(self, ids):
        ids = self.prep(ids)
        x = self.embed(ids).transpose(1, 2)
        pad = (ids == 0)[:, None]
        return self.fc(torch.cat([F.relu(c(x)).masked_fill(pad, 0).amax(-1) for c in self.convs], 1))


def _inputs(n):
    text = "Card 4111 1111 1111 1111 charged twice\tplease REFUND"
    ids = torch.tensor([ord(c) for c in text] + [0] * (MAX_LEN - len(text)))
    return ids.repeat(n, 1) * (torch.arange(MAX_LEN)[None] < torch.randint(10, len(text) + 1, (n, 1)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TicketRouter().eval(), "inputs": _inputs, "kind": "benign"}
