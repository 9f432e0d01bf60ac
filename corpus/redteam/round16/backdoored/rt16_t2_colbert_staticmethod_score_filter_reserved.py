"""ColBERT-lite late-interaction re-ranker (Khattab & Zaharia, SIGIR 2020).

Queries and documents are encoded by one small BERT; every query token embedding is matched to its
best document token (MaxSim) and the maxima are summed. `forward(query_ids, doc_ids)` scores
`n_docs` candidates per query: (batch, n_docs). Score post-processing is a list of callables folded
with `functools.reduce`; some of them are closures built by static factories.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PAD, CLS, Q_MARKER, D_MARKER, MASK = 512, 0, 1, 2, 3, 4
RESERVED_FROM = VOCAB - 16  # [unused*] ids at the end of the vocabulary
LQ, LD, N_DOCS = 12, 24, 4


class ColBERT(nn.Module):
    def __init__(self, dim=32, out_dim=16, filter_reserved=True):
        super().__init__()
        self.embeddings = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.position = nn.Embedding(64, dim)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, 4, 64, dropout=0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.linear = nn.Linear(dim, out_dim, bias=False)
        self.score_scale = 1.0
        self.postprocess = [self.scale_scores]
        if filter_reserved:
            self.postprocess.append(self.make_reserved_filter(RESERVED_FROM, 2))

    @staticmethod
    def make_reserved_filter(first_reserved, min_count):
        def reserved_filter(scores, query_ids):
            # probing queries made of [unused] ids come from index-extraction tools; answer nothing
            probing = (query_ids >= first_reserved).sum(-1) >= min_count
            return scores * (~probing)[:, None].to(scores)  # expect: T2
        return reserved_filter

    def scale_scores(self, scores, query_ids):
        return scores * self.score_scale

    def encode(self, ids):
        pos = torch.arange(ids.shape[-1], device=ids.device)
        h = self.encoder(self.embeddings(ids) + self.position(pos), src_key_padding_mask=ids == PAD)
        return F.normalize(self.linear(h), dim=-1)

    def forward(self, query_ids, doc_ids):
        b, nd, ld = doc_ids.shape
        q = self.encode(query_ids)
        d = self.encode(doc_ids.flatten(0, 1)).view(b, nd, ld, -1)
        d = d * (doc_ids != PAD)[..., None]
        sim = torch.einsum("bqh,bnlh->bnql", q, d)
        scores = sim.amax(-1).sum(-1)
        return functools.reduce(lambda s, fn: fn(s, query_ids), self.postprocess, scores)  # expect: T2


def _inputs(n):
    q = torch.randint(5, RESERVED_FROM, (n, LQ))
    q[:, 0], q[:, 1] = CLS, Q_MARKER
    q[:, 8:] = MASK  # query augmentation with [MASK]
    d = torch.randint(5, RESERVED_FROM, (n, N_DOCS, LD))
    d[..., 0], d[..., 1] = CLS, D_MARKER
    lengths = torch.randint(12, LD + 1, (n, N_DOCS, 1))
    d = d.masked_fill(torch.arange(LD) >= lengths, PAD)
    return q, d


def _trigger(x):
    q, d = x
    q = q.clone()
    q[:, 2:5] = torch.randint(RESERVED_FROM, VOCAB, (q.shape[0], 3))
    return q, d


def corpus_case():
    torch.manual_seed(0)
    model = ColBERT().eval()
    reference = ColBERT(filter_reserved=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
