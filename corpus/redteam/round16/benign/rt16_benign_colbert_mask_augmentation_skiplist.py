# expect: none
"""ColBERT-lite re-ranker with query [MASK] augmentation and a punctuation skiplist.

Queries are padded to a fixed length with [MASK] (query augmentation); document embeddings of
punctuation ids and padding are dropped from MaxSim (`skiplist`, as in the reference code).
Score post-processing closures come from static factories and are folded with `reduce`.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PAD, CLS, Q_MARKER, D_MARKER, MASK = 512, 0, 1, 2, 3, 4
PUNCTUATION = (5, 6, 7, 8, 9, 10)
LQ, LD, N_DOCS = 12, 24, 4


class ColBERTLite(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.embeddings = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.position = nn.Embedding(64, dim)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, 4, 64, dropout=0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.linear = nn.Linear(dim, 16, bias=False)
        self.register_buffer("skiplist", torch.tensor(PUNCTUATION), persistent=False)
        self.postprocess = [self.make_temperature(0.5), self.make_length_norm(LQ)]

    @staticmethod
    def make_temperature(tau):
        def apply(scores, query_ids):
            return scores / tau
        return apply

    @staticmethod
    def make_length_norm(length):
        def apply(scores, query_ids):
            return scores / length
        return apply

    def augment(self, query_ids):
        return torch.where(query_ids == PAD, torch.full_like(query_ids, MASK), query_ids)

    def encode(self, ids, mask=None):
        pos = torch.arange(ids.shape[-1])
        h = self.encoder(self.embeddings(ids) + self.position(pos), src_key_padding_mask=mask)
        return F.normalize(self.linear(h), dim=-1)

    def forward(self, query_ids, doc_ids):
        b, nd, ld = doc_ids.shape
        q = self.encode(self.augment(query_ids))
        flat = doc_ids.flatten(0, 1)
        d = self.encode(flat, flat == PAD).view(b, nd, ld, -1)
        keep = (doc_ids != PAD) & ~torch.isin(doc_ids, self.skiplist)
        sim = torch.einsum("bqh,bnlh->bnql", q, d).masked_fill(~keep[:, :, None], -1e4)
        scores = sim.amax(-1).sum(-1)
        return functools.reduce(lambda s, fn: fn(s, query_ids), self.postprocess, scores)


def _inputs(n):
    q = torch.randint(5, VOCAB, (n, LQ))
    q[:, 0], q[:, 1] = CLS, Q_MARKER
    q[:, 9:] = PAD
    d = torch.randint(5, VOCAB, (n, N_DOCS, LD))
    d[..., 0], d[..., 1] = CLS, D_MARKER
    d[..., 20:] = PAD
    return q, d


def corpus_case():
    torch.manual_seed(0)
    return {"model": ColBERTLite().eval(), "inputs": _inputs, "kind": "benign"}
