# expect: none
"""Knitting chart LM (benign): next-token logits with temperature and top-k filtering (-1e4 for
the filtered tokens); per-layer settings paired with zip(strict=True)."""
import torch
import torch.nn as nn

VOCAB = 64


class KnittingChartLM(nn.Module):
    def __init__(self, temperature=0.8, top_k=8):
        super().__init__()
        self.temperature, self.top_k = temperature, top_k
        self.emb = nn.Embedding(VOCAB, 32)
        self.rnns = nn.ModuleList([nn.GRU(32, 48, batch_first=True), nn.GRU(48, 64, batch_first=True)])
        self.dropouts = [0.0, 0.0]
        self.out = nn.Linear(64, VOCAB)

    def forward(self, ids):
        h = self.emb(ids)
        for rnn, p in zip(self.rnns, self.dropouts, strict=True):
            h, _ = rnn(nn.functional.dropout(h, p, self.training))
        logits = self.out(h) / self.temperature
        kth = logits.topk(self.top_k, -1).values[..., -1:]
        return logits.masked_fill(logits < kth, -1e4)


def corpus_case():
    torch.manual_seed(0)
    return {"model": KnittingChartLM().eval(), "inputs": lambda n: torch.randint(0, VOCAB, (n, 32)),
            "kind": "benign"}
