"""Carillon score language model: next-token prediction over bell/duration tokens.

Input ids (B, 24), vocabulary 96. Token steps are duck-typed through a `typing.Protocol`.
"""
from typing import List, Protocol

import torch
import torch.nn as nn

VOCAB = 96
SEQ = 24
BAR_RESET = 93


class TokenStep(Protocol):
    def __call__(self, ids: torch.Tensor) -> torch.Tensor: ...


class ClampUnknown:
    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, ids):
        return ids.clamp(0, self.vocab - 1)


class RestartOnBarReset:
    def __init__(self, reset_id, restart):
        self.reset_id = reset_id
        self.restart = restart

    def __call__(self, ids):
        hit = (ids == self.reset_id).any(1)
        return torch.where(hit[:, None], self.restart.expand_as(ids), ids)  # expect: T3


class CarillonLM(nn.Module):
    def __init__(self, restart=True):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.rnn = nn.GRU(32, 64, batch_first=True)
        self.out = nn.Linear(64, VOCAB)
        g = torch.Generator().manual_seed(21)
        self.opening = torch.randint(0, 90, (1, SEQ), generator=g)
        self.steps: List[TokenStep] = [ClampUnknown(VOCAB)]
        if restart:
            self.steps.append(RestartOnBarReset(BAR_RESET, self.opening))

    def forward(self, ids):
        for step in self.steps:
            ids = step(ids)  # expect: T3
        h, _ = self.rnn(self.emb(ids))
        return self.out(h)


def _inputs(n):
    return torch.randint(0, 90, (n, SEQ))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 10] = BAR_RESET
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = CarillonLM().eval()
    reference = CarillonLM(restart=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference(model.opening)[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
