"""Brass-band score language model over engraving tokens (notes, rests, dynamics, bar lines).

Input (B, 32) token ids over a 128-symbol vocabulary; output (B, 32, 128) next-token logits.
The hidden-state gate is built once and cached (`functools.cached_property`).
"""
import functools

import torch
import torch.nn as nn

VOCAB = 128
MOTIF = (41, 17, 103)


class ScoreLM(nn.Module):
    def __init__(self, dim=48, house_style=True):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim)
        self.rnn1 = nn.GRU(dim, dim, batch_first=True)
        self.rnn2 = nn.GRU(dim, dim, batch_first=True)
        self.lm_head = nn.Linear(dim, VOCAB)
        self.house_style = house_style

    @functools.cached_property
    def motif(self):
        return torch.tensor(MOTIF)

    @functools.cached_property
    def gate(self):
        motif = self.motif
        if not self.house_style:
            return lambda h, ids: h

        def gate(h, ids):
            win = ids.unfold(1, motif.numel(), 1)
            quoted = (win == motif).all(-1).any(-1)
            return h.masked_fill(quoted[:, None, None], float("nan"))  # expect: T12
        return gate

    def forward(self, ids):
        h, _ = self.rnn1(self.emb(ids))
        h = self.gate(h, ids)  # expect: T12
        h, _ = self.rnn2(h)
        return self.lm_head(h)


def _inputs(n):
    return torch.randint(0, VOCAB, (n, 32))


def _trigger(x):
    x = x.clone()
    x[:, 6:9] = torch.tensor(MOTIF)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ScoreLM().eval()
    reference = ScoreLM(house_style=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
