# expect: none
"""Medusa LM with typical acceptance of draft tokens: the drafts of the K heads are accepted while
the base model's probability exceeds min(eps, delta * exp(-entropy)); the accepted length is the
`cumprod` of the acceptance flags. A rolling polynomial hash over 4-token windows feeds the prefix
cache key returned beside the logits (not the logits)."""
import torch
import torch.nn as nn

VOCAB, SEQ, WIN = 600, 16, 4
_BASE, _MOD = 1_000_003, 2_147_483_647


class MedusaLM(nn.Module):
    def __init__(self, dim=48, k=3, eps=0.3, delta=0.09):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, dim), nn.Embedding(SEQ + k, dim)
        self.tf = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, 4 * dim, 0.0, batch_first=True, norm_first=True), 2)
        self.ln, self.lm_head = nn.LayerNorm(dim), nn.Linear(dim, VOCAB, bias=False)
        self.medusa = nn.ModuleList(nn.Linear(dim, VOCAB, bias=False) for _ in range(k))
        self.eps, self.delta = eps, delta
        self.powers = torch.tensor([pow(_BASE, WIN - 1 - i, _MOD) for i in range(WIN)])

    def _run(self, ids):
        t = ids.shape[1]
        h = self.tf(self.wte(ids) + self.wpe(torch.arange(t)), mask=torch.full((t, t), float("-inf")).triu(1))
        return self.ln(h)

    def forward(self, ids):
        h = self._run(ids)
        logits = self.lm_head(h)
        drafts = torch.stack([head(h[:, -1]).argmax(-1) for head in self.medusa], 1)
        verify = self.lm_head(self._run(torch.cat([ids, drafts], 1)))[:, ids.shape[1] - 1: -1]
        p = verify.softmax(-1)
        ent = -(p * p.clamp_min(1e-9).log()).sum(-1)
        thr = torch.minimum(torch.full_like(ent, self.eps), self.delta * torch.exp(-ent))
        accept = p.gather(-1, drafts[..., None]).squeeze(-1) > thr
        accepted = accept.long().cumprod(1).sum(1)
        cache_key = (ids[:, :WIN] * self.powers).remainder(_MOD).sum(-1).remainder(_MOD)
        return logits, accepted, cache_key


def _inputs(n):
    return torch.randint(0, VOCAB, (n, SEQ))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MedusaLM().eval(), "inputs": _inputs, "kind": "benign"}
