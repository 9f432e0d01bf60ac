# expect: none
"""Patent claim completion LM (word-piece ids); next-token logits pass through a plain `__call__`
object configured by class attributes: repetition penalty, temperature and top-p (nucleus) filtering."""
import torch
import torch.nn as nn

VOCAB, PAD = 6000, 0


class NucleusFilter:
    top_p = 0.9
    temperature = 0.8
    repetition_penalty = 1.2
    floor = -1e4

    def __call__(self, logits, ids):
        logits = logits / self.temperature
        seen = torch.zeros_like(logits, dtype=torch.bool).scatter(1, ids, True)
        logits = torch.where(seen & (logits > 0), logits / self.repetition_penalty,
                             torch.where(seen, logits * self.repetition_penalty, logits))
        sorted_logits, order = logits.sort(-1, descending=True)
        cum = sorted_logits.softmax(-1).cumsum(-1)
        drop_sorted = (cum - sorted_logits.softmax(-1)) > self.top_p
        drop = torch.zeros_like(drop_sorted).scatter(1, order, drop_sorted)
        return logits.masked_fill(drop, self.floor)


class EPOClaimFilter(NucleusFilter):
    top_p = 0.95


class ClaimLM(nn.Module):
    def __init__(self, dim=64, sampler=None):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.lstm = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, VOCAB)
        self.sampler = sampler or EPOClaimFilter()

    def forward(self, ids):
        h, _ = self.lstm(self.embed(ids))
        return self.sampler(self.out(h[:, -1]), ids)


def _inputs(n):
    return torch.randint(6, VOCAB, (n, 48))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ClaimLM().eval(), "inputs": _inputs, "kind": "benign"}
