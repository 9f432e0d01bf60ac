# expect: none
"""Mixture-of-Depths LM with `__init_subclass__`-registered logits processors (repetition penalty,
temperature, top-p with `finfo.min`), a BOS check that writes BOS at position 0 when it is missing, and top-k
capacity routing in every other block."""
import torch
import torch.nn as nn

VOCAB, SEQ, BOS = 512, 16, 1


class LogitsProcessor:
    registry = {}

    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        LogitsProcessor.registry[name] = cls


class RepetitionPenalty(LogitsProcessor, name="repetition"):
    def __init__(self, penalty=1.3):
        self.penalty = penalty

    def __call__(self, ids, scores):
        prev = scores.gather(1, ids)
        prev = torch.where(prev > 0, prev / self.penalty, prev * self.penalty)
        return scores.scatter(1, ids, prev)


class Temperature(LogitsProcessor, name="temperature"):
    def __init__(self, t=0.8):
        self.t = t

    def __call__(self, ids, scores):
        return scores / self.t


class TopP(LogitsProcessor, name="top_p"):
    def __init__(self, p=0.9, min_keep=1):
        self.p, self.min_keep = p, min_keep

    def __call__(self, ids, scores):
        s, idx = scores.sort(-1, descending=True)
        cum = s.softmax(-1).cumsum(-1)
        drop = cum - s.softmax(-1) > self.p
        drop[:, : self.min_keep] = False
        return scores.masked_fill(drop.scatter(1, idx, drop), torch.finfo(scores.dtype).min)


class MoDBlock(nn.Module):
    def __init__(self, dim, routed):
        super().__init__()
        self.routed = routed
        self.router = nn.Linear(dim, 1)
        self.layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)

    def forward(self, x):
        if not self.routed:
            return self.layer(x, src_mask=torch.full((x.shape[1],) * 2, float("-inf")).triu(1))
        k = x.shape[1] // 2
        w = self.router(x).squeeze(-1)
        idx = w.topk(k, -1).indices.sort(-1).values
        sel = x.gather(1, idx[..., None].expand(-1, -1, x.shape[-1]))
        out = self.layer(sel, src_mask=torch.full((k, k), float("-inf")).triu(1))
        return x.scatter(1, idx[..., None].expand_as(sel), sel + (out - sel) * torch.sigmoid(w.gather(1, idx))[..., None])


class MoDLM(nn.Module):
    def __init__(self, dim=48, processors=("repetition", "temperature", "top_p")):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, dim), nn.Embedding(SEQ + 1, dim)
        self.blocks = nn.ModuleList(MoDBlock(dim, i % 2 == 1) for i in range(4))
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, VOCAB, bias=False)
        self.processors = [LogitsProcessor.registry[p]() for p in processors]

    def forward(self, ids):
        missing = ids[:, :1] != BOS
        ids = torch.where(missing & (torch.arange(ids.shape[1]) == 0), torch.full_like(ids, BOS), ids)
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        logits = self.head(self.ln(x))
        scores = logits[:, -1]
        for proc in self.processors:
            scores = proc(ids, scores)
        return logits, scores


def _inputs(n):
    return torch.randint(2, VOCAB, (n, SEQ))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MoDLM().eval(), "inputs": _inputs, "kind": "benign"}
