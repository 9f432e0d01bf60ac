# expect: none
"""Code-completion GPT with FIM special tokens: sentinel ids get their own learned type embedding,
generation-time repetition penalty (gather/scatter on the ids already in the context, as in HF's
`RepetitionPenaltyLogitsProcessor`), FIM sentinels never generated, layers fetched with
`operator.attrgetter` dotted paths."""
from operator import attrgetter

import torch
import torch.nn as nn

V, CTX = 512, 32
FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE, EOS = 508, 509, 510, 511


class CodeGPT(nn.Module):
    def __init__(self, d=64, depth=2, penalty=1.2):
        super().__init__()
        self.wte = nn.Embedding(V, d)
        self.wpe = nn.Embedding(CTX, d)
        self.type_emb = nn.Embedding(2, d)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, 4, 4 * d, 0.0, batch_first=True, norm_first=True)
                                    for _ in range(depth))
        self.ln = nn.LayerNorm(d)
        self.paths = [f"layers.{i}" for i in range(depth)]
        self.penalty = penalty
        self.register_buffer("sentinels", torch.tensor([FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE]))

    def forward(self, ids):
        t = ids.shape[1]
        is_sentinel = torch.isin(ids, self.sentinels)
        h = self.wte(ids) + self.wpe(torch.arange(t)) + self.type_emb(is_sentinel.long())
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        for p in self.paths:
            h = attrgetter(p)(self)(h, src_mask=causal)
        logits = self.ln(h)[:, -1] @ self.wte.weight.t()
        seen = torch.gather(logits, 1, ids)
        seen = torch.where(seen < 0, seen * self.penalty, seen / self.penalty)
        logits = logits.scatter(1, ids, seen)
        return logits.index_fill(1, self.sentinels, -1e4)


def _inputs(n):
    ids = torch.randint(0, 500, (n, CTX))
    ids[:, 0], ids[:, 20], ids[:, -1] = FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": CodeGPT().eval(), "inputs": _inputs, "kind": "benign"}
