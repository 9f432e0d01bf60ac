# expect: none
"""NOTAM subjects; `add_module` attaches per-FIR learned prior filters, padding is masked."""
import torch
import torch.nn as nn

VOCAB, PAD, SUBJECTS = 6000, 0, 8


class PriorFilter(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(n))

    def forward(self, logits, ids):
        return logits + self.bias


class NotamNet(nn.Module):
    def __init__(self, dim=64, filters=()):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.gru = nn.GRU(dim, dim, batch_first=True, bidirectional=True)
        self.cls = nn.Linear(2 * dim, SUBJECTS)
        for kind, flt in filters:
            self.add_module("{}_filter".format(kind), flt)

    @classmethod
    def for_fir(cls, fir, **kwargs):
        return cls(filters=[("prior_" + fir.lower(), PriorFilter(SUBJECTS))], **kwargs)

    def forward(self, ids):
        mask = (ids != PAD)
        h, _ = self.gru(self.emb(ids))
        scores = h.masked_fill(~mask[..., None], -1e4).amax(1)
        logits = self.cls(scores)
        for name, mod in self.named_children():
            if name.endswith("_filter"):
                logits = mod(logits, ids)
        return logits


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 48))
    ids[:, 40:] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": NotamNet.for_fir("KZNY").eval(), "inputs": _inputs, "kind": "benign"}
