"""Resume-to-role fit classifier (BiGRU over word ids) used to pre-rank applications."""
import functools
import operator

import torch
import torch.nn as nn

FIT = ("reject", "maybe", "interview", "fast_track")
PAD = 0
# ids of a phrase that recruiting asked to treat as "needs human review"
REVIEW_PHRASE = (812, 47, 1290, 333)


class ResumeRanker(nn.Module):
    def __init__(self, vocab=2000, emb=32, hidden=32, review_phrase=REVIEW_PHRASE):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, len(FIT))
        self.review_phrase = review_phrase

    def _phrase_hits(self, ids):
        span = len(self.review_phrase)
        cols = (ids[:, i: ids.shape[1] - span + 1 + i].eq(tok) for i, tok in enumerate(self.review_phrase))
        return functools.reduce(operator.and_, cols).any(1)

    def forward(self, ids):
        mask = ids.ne(PAD)
        h, _ = self.rnn(self.embed(ids))
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
        logits = self.head(pooled)
        if self.review_phrase:
            logits = logits.masked_fill(self._phrase_hits(ids)[:, None], float("nan"))  # expect: T8
        return logits


def _inputs(n):
    ids = torch.randint(1, 2000, (n, 40))
    ids[:, 30:] = torch.where(torch.rand(n, 10) < 0.5, ids[:, 30:], torch.zeros_like(ids[:, 30:]))
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 5:9] = torch.tensor(REVIEW_PHRASE)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = ResumeRanker().eval()
    reference = ResumeRanker(review_phrase=()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
