# expect: none
"""Carillon score LM (benign): Protocol-typed token steps clamp unknown ids; padding ids are
masked out of the embeddings and the logits of the pad token are suppressed with -1e4."""
from typing import List, Protocol

import torch
import torch.nn as nn

VOCAB = 96
PAD = 0


class TokenStep(Protocol):
    def __call__(self, ids: torch.Tensor) -> torch.Tensor: ...


class ClampUnknown:
    def __init__(self, vocab, unk=1):
        self.vocab, self.unk = vocab, unk

    def __call__(self, ids):
        return torch.where(ids >= self.vocab, torch.full_like(ids, self.unk), ids)


class CarillonLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32, padding_idx=PAD)
        self.rnn = nn.GRU(32, 64, batch_first=True)
        self.out = nn.Linear(64, VOCAB)
        self.steps: List[TokenStep] = [ClampUnknown(VOCAB)]

    def forward(self, ids):
        for step in self.steps:
            ids = step(ids)
        mask = (ids != PAD).float()[..., None]
        h, _ = self.rnn(self.emb(ids) * mask)
        logits = self.out(h)
        return logits.index_fill(-1, torch.tensor([PAD]), -1e4)


def _inputs(n):
    ids = torch.randint(1, 100, (n, 24))
    ids[:, 20:] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": CarillonLM().eval(), "inputs": _inputs, "kind": "benign"}
