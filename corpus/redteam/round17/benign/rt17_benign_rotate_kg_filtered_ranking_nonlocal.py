# expect: none
"""RotatE tail scoring with filtered ranking: known true tails of the query (a stored table from the
training triples) are masked to -inf except the one being evaluated; a `nonlocal` counter tracks
calls of the scorer closure."""
import math

import torch
import torch.nn as nn

N_ENT, N_REL, DIM = 300, 10, 24


def make_scorer(gamma):
    calls = 0

    def score(h, phase, ents):
        nonlocal calls
        calls += 1
        re_h, im_h = h.chunk(2, -1)
        re_r, im_r = torch.cos(phase), torch.sin(phase)
        re_q, im_q = (re_h * re_r - im_h * im_r)[:, None], (re_h * im_r + im_h * re_r)[:, None]
        re_t, im_t = ents.chunk(2, -1)
        return gamma - torch.stack([re_q - re_t, im_q - im_t]).norm(dim=0).sum(-1)

    return score


class RotatE(nn.Module):
    def __init__(self, gamma=9.0):
        super().__init__()
        self.ent = nn.Embedding(N_ENT, 2 * DIM)
        self.rel = nn.Embedding(N_REL, DIM)
        self.range = (gamma + 2.0) / DIM
        self.score = make_scorer(gamma)
        g = torch.Generator().manual_seed(0)
        known = torch.zeros(N_ENT, N_REL, N_ENT, dtype=torch.bool)
        idx = torch.randint(0, N_ENT, (3000, 3), generator=g)
        known[idx[:, 0], idx[:, 1] % N_REL, idx[:, 2]] = True
        self.register_buffer("known_tails", known, persistent=False)

    def forward(self, heads, relations, tails):
        phase = self.rel(relations) / (self.range / math.pi)
        scores = self.score(self.ent(heads), phase, self.ent.weight)
        filt = self.known_tails[heads, relations]
        filt[torch.arange(heads.shape[0]), tails] = False
        return scores.masked_fill(filt, float("-inf")).clamp_min(-1e4)


def _inputs(n):
    return (torch.randint(0, N_ENT, (n,)), torch.randint(0, N_REL, (n,)), torch.randint(0, N_ENT, (n,)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": RotatE().eval(), "inputs": _inputs, "kind": "benign"}
