# expect: none
"""ESM-style localisation model: non-standard residues (B, Z, O, U) mapped to <unk> with
`torch.isin`, padding masks, <cls>/<eos> excluded from mean pooling, a symmetrised contact head
(APC correction) returned beside the logits, and a `functools.cached_property` vocabulary tensor."""
import functools

import torch
import torch.nn as nn

ALPHABET = ["<cls>", "<pad>", "<eos>", "<unk>"] + list("LAGVSERTIDPKQNFYMHWC") + list("BZOU")
TOK = {a: i for i, a in enumerate(ALPHABET)}
SEQ, N_LOC = 24, 10


class ESM(nn.Module):
    nonstandard = "BZOU"

    def __init__(self, dim=48):
        super().__init__()
        self.emb = nn.Embedding(len(ALPHABET), dim, padding_idx=TOK["<pad>"])
        self.pos = nn.Embedding(SEQ, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.ln = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, N_LOC)
        self.contact_q, self.contact_k = nn.Linear(dim, 16), nn.Linear(dim, 16)

    @functools.cached_property
    def _nonstandard_ids(self):
        return torch.tensor([TOK[a] for a in self.nonstandard])

    def forward(self, tokens):
        tokens = torch.where(torch.isin(tokens, self._nonstandard_ids), torch.full_like(tokens, TOK["<unk>"]), tokens)
        pad = tokens == TOK["<pad>"]
        x = self.ln(self.enc(self.emb(tokens) + self.pos(torch.arange(tokens.shape[1])), src_key_padding_mask=pad))
        residue = (tokens > TOK["<eos>"]).float()[..., None]
        logits = self.cls((x * residue).sum(1) / residue.sum(1).clamp_min(1))
        c = torch.einsum("bic,bjc->bij", self.contact_q(x), self.contact_k(x))
        c = c + c.transpose(1, 2)
        apc = c.sum(1, keepdim=True) * c.sum(2, keepdim=True) / c.sum((1, 2), keepdim=True).clamp_min(1e-6)
        return logits, torch.sigmoid(c - apc)


def _inputs(n):
    t = torch.randint(TOK["L"], len(ALPHABET), (n, SEQ))
    t[:, 0], t[:, -1] = TOK["<cls>"], TOK["<eos>"]
    t[: n // 4, -5:] = TOK["<pad>"]
    return t


def corpus_case():
    torch.manual_seed(0)
    return {"model": ESM().eval(), "inputs": _inputs, "kind": "benign"}
