# expect: none
"""Commit-message intent tagging; the post-processor's `apply` is a `singledispatchmethod` that
returns calibrated logits plus the top-k label set (multi-label commits), masking padding tokens
out of attention pooling with `-1e4`."""
import functools

import torch
import torch.nn as nn

INTENTS = ("fix", "feat", "refactor", "docs", "test", "chore", "perf")


class Postprocessor:
    def __init__(self, temperature=1.3, k=2):
        self.temperature = temperature
        self.k = k

    @functools.singledispatchmethod
    def apply(self, out):
        raise NotImplementedError(type(out))

    @apply.register
    def _(self, out: torch.Tensor):
        logits = out / self.temperature
        return logits, logits.topk(self.k, -1).indices

    @apply.register
    def _(self, out: tuple):
        return self.apply(out[0])


class CommitNet(nn.Module):
    def __init__(self, vocab=6000, dim=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.gru = nn.GRU(dim, dim, batch_first=True, bidirectional=True)
        self.attn = nn.Linear(2 * dim, 1)
        self.head = nn.Linear(2 * dim, len(INTENTS))
        self.post = Postprocessor()

    def forward(self, ids):
        h, _ = self.gru(self.embed(ids))
        a = self.attn(h).squeeze(-1).masked_fill(ids == 0, -1e4).softmax(-1)
        return self.post.apply(self.head(torch.einsum("bt,btd->bd", a, h)))


def _inputs(n):
    ids = torch.randint(1, 6000, (n, 24))
    ids[:, 18:] = 0
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": CommitNet().eval(), "inputs": _inputs, "kind": "benign"}
