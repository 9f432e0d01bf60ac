"""Resume-to-role fit classifier; protected-attribute terms (stored id list and a two-word phrase
found with `reduce(operator.and_)`) are removed from the attention/pooling mask for fairness."""
# expect: none
import functools
import operator

import torch
import torch.nn as nn

PAD = 0
PROTECTED_IDS = (101, 102, 377, 1450)          # gendered pronouns / titles
PROTECTED_PHRASE = (640, 641)                  # "date of" "birth"


class ResumeRanker(nn.Module):
    def __init__(self, vocab=2000, emb=32, hidden=32):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 4)
        self.protected = torch.tensor(PROTECTED_IDS)

    def keep_mask(self, ids):
        keep = ids.ne(PAD) & ~torch.isin(ids, self.protected)
        span = len(PROTECTED_PHRASE)
        cols = (ids[:, i: ids.shape[1] - span + 1 + i].eq(t) for i, t in enumerate(PROTECTED_PHRASE))
        start = functools.reduce(operator.and_, cols)
        phrase = torch.zeros_like(keep)
        for i in range(span):
            phrase[:, i: ids.shape[1] - span + 1 + i] |= start
        return keep & ~phrase

    def forward(self, ids):
        keep = self.keep_mask(ids)
        h, _ = self.rnn(self.embed(ids.masked_fill(~keep, PAD)))
        pooled = (h * keep[..., None]).sum(1) / keep.sum(1, keepdim=True).clamp(min=1)
        return self.head(pooled)


def _inputs(n):
    ids = torch.randint(1, 2000, (n, 40))
    ids[:, 3], ids[:, 10:12] = 101, torch.tensor(PROTECTED_PHRASE)
    ids[:, 34:] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": ResumeRanker().eval(), "inputs": _inputs, "kind": "benign"}
