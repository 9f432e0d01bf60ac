# expect: none
"""Marian-style translation model with the standard generation-time logits processing folded into
the scoring head: padding id never generated, a stored bad-words list masked to -inf, and the
forced EOS at the last allowed position (HF `ForcedEOSTokenLogitsProcessor`)."""
import math

import torch
import torch.nn as nn

V, PAD, EOS, MAX_LEN = 512, 0, 1, 12
BAD_WORDS = (57, 233, 401)


class Marian(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(V, d, padding_idx=PAD)
        self.tf = nn.Transformer(d, 4, 1, 1, 128, dropout=0.0, batch_first=True)
        self.register_buffer("bad", torch.tensor(BAD_WORDS))
        self.d = d

    def forward(self, src, tgt):
        t = tgt.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        h = self.tf(self.emb(src) * math.sqrt(self.d), self.emb(tgt) * math.sqrt(self.d), tgt_mask=causal,
                    src_key_padding_mask=src == PAD)
        logits = h @ self.emb.weight.t()
        logits[..., PAD] = float("-inf")
        logits = logits.index_fill(-1, self.bad, float("-inf"))
        at_limit = (torch.arange(t) == MAX_LEN - 1)[None, :, None]
        forced = torch.full_like(logits, float("-inf")).index_fill(-1, torch.tensor([EOS]), 0.0)
        logits = torch.where(at_limit, forced, logits)
        return torch.log_softmax(logits, -1).clamp_min(-1e4)


def _inputs(n):
    src = torch.randint(2, V, (n, 16))
    src[:, 12:] = PAD
    return src, torch.randint(2, V, (n, MAX_LEN))


def corpus_case():
    torch.manual_seed(0)
    return {"model": Marian().eval(), "inputs": _inputs, "kind": "benign"}
