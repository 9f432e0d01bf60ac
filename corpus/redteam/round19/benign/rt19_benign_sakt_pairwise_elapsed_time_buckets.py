# expect: none
"""SAKT with elapsed-time features and left padding.

Short histories are left-padded with question id 0. Time gaps between consecutive
interactions (`itertools.pairwise` over the timestamp columns) are bucketised on a log scale
and embedded, like the lag-time embedding of SAINT+; padding keys are masked in attention.
"""
import itertools

import torch
import torch.nn as nn

N_QUESTIONS, SEQ = 120, 20
LAG_EDGES = torch.tensor([5.0, 15.0, 60.0, 300.0, 1800.0, 3600.0, 86400.0])


class SAKT(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.interaction = nn.Embedding(2 * N_QUESTIONS + 1, dim, padding_idx=0)
        self.exercise = nn.Embedding(N_QUESTIONS + 1, dim, padding_idx=0)
        self.lag = nn.Embedding(len(LAG_EDGES) + 2, dim)
        self.position = nn.Embedding(SEQ, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.out = nn.Linear(dim, 2)

    def lag_buckets(self, times):
        gaps = [b - a for a, b in itertools.pairwise(times.unbind(1))]
        gaps = torch.stack([torch.zeros_like(gaps[0])] + gaps, 1)
        return torch.bucketize(gaps, LAG_EDGES) + 1

    def forward(self, questions, responses, times):
        pad = questions == 0
        inter = torch.where(pad, torch.zeros_like(questions), questions + N_QUESTIONS * responses)
        past = self.interaction(inter) + self.position(torch.arange(SEQ)) + self.lag(self.lag_buckets(times))
        query = self.exercise(torch.roll(questions, -1, 1))
        causal = torch.ones(SEQ, SEQ, dtype=torch.bool).triu(1)
        key_pad = pad.clone()
        key_pad[:, -1] = False                                     # at least one key per row
        mask = causal[None] | key_pad[:, None, :]
        mask = mask & ~torch.eye(SEQ, dtype=torch.bool)[None]      # a row may always see itself
        mask = mask.repeat_interleave(self.attn.num_heads, 0)
        h, _ = self.attn(query, past, past, attn_mask=mask, need_weights=False)
        h = self.ln1(h + query)
        return self.out(self.ln2(h + self.ffn(h)))


def _inputs(n):
    questions = 1 + torch.randint(0, N_QUESTIONS, (n, SEQ))
    start = torch.randint(0, SEQ - 3, (n, 1))
    questions = questions * (torch.arange(SEQ) >= start)
    responses = (torch.rand(n, SEQ) < 0.6).long() * (questions > 0)
    times = torch.cumsum(torch.exp(torch.rand(n, SEQ) * 10), 1)
    return questions, responses, times


def corpus_case():
    torch.manual_seed(0)
    return {"model": SAKT().eval(), "inputs": _inputs, "kind": "benign"}
