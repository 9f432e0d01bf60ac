# expect: none
"""Sheepdog whistle transcripts; masked mean pooling from `ids != PAD` and a defaultdict of
post-processors (identity by default, temperature for the trial task)."""
import collections

import torch
import torch.nn as nn
import torch.nn.functional as F

OUTCOMES = ("outrun", "lift", "fetch", "drive", "shed", "pen")
VOCAB = 256
PAD = 0


class WhistleNet(nn.Module):
    def __init__(self, task="trial", dim=32):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.fc = nn.Linear(dim, len(OUTCOMES))
        self.task = task
        self.post = collections.defaultdict(lambda: (lambda y, ids: y))
        self.post["trial"] = lambda y, ids: y / 1.5

    def forward(self, ids):
        mask = (ids != PAD).float()[:, None, :]
        h = F.relu(self.conv(self.emb(ids).transpose(1, 2)))
        h = (h * mask).sum(-1) / mask.sum(-1).clamp_min(1.0)
        return self.post[self.task](self.fc(h), ids)


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 24))
    ids[:, 18:] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": WhistleNet().eval(), "inputs": _inputs, "kind": "benign"}
