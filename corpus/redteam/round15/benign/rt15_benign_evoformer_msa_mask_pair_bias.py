# expect: none
"""Evoformer fold classifier with padded MSAs: MSA row mask (rows of gaps), residue mask from
padding, `finfo.min` attention biases for masked keys, a masked outer product mean normalised by
the number of valid row pairs, and a deletion-value feature `2/pi * arctan(d/3)`."""
import math

import torch
import torch.nn as nn

N_RES, N_SEQ, N_AA, GAP, N_FOLDS = 12, 6, 22, 21, 10


class RowAttention(nn.Module):
    def __init__(self, cm, cz, heads=2):
        super().__init__()
        self.h, self.dh = heads, cm // heads
        self.ln, self.lnz = nn.LayerNorm(cm), nn.LayerNorm(cz)
        self.qkv, self.bias, self.o = nn.Linear(cm, 3 * cm, bias=False), nn.Linear(cz, heads, bias=False), nn.Linear(cm, cm)

    def forward(self, m, z, res_mask):
        b, s, l, _ = m.shape
        q, k, v = self.qkv(self.ln(m)).view(b, s, l, 3, self.h, self.dh).unbind(3)
        a = torch.einsum("bsihd,bsjhd->bshij", q, k) / math.sqrt(self.dh)
        a = a + self.bias(self.lnz(z)).permute(0, 3, 1, 2)[:, None]
        a = a.masked_fill(~res_mask[:, None, None, None, :], torch.finfo(a.dtype).min)
        return m + self.o(torch.einsum("bshij,bsjhd->bsihd", a.softmax(-1), v).reshape(b, s, l, -1))


class OuterProductMean(nn.Module):
    def __init__(self, cm, cz, c=8):
        super().__init__()
        self.ln, self.a, self.b, self.o = nn.LayerNorm(cm), nn.Linear(cm, c), nn.Linear(cm, c), nn.Linear(c * c, cz)

    def forward(self, m, msa_mask):
        h = self.ln(m)
        a, b = self.a(h) * msa_mask[..., None], self.b(h) * msa_mask[..., None]
        norm = torch.einsum("bsi,bsj->bij", msa_mask, msa_mask)[..., None]
        o = torch.einsum("bsic,bsjd->bijcd", a, b).flatten(-2)
        return self.o(o) / (norm + 1e-3)


class Evoformer(nn.Module):
    def __init__(self, cm=16, cz=16):
        super().__init__()
        self.msa_emb = nn.Linear(N_AA + 1, cm)
        self.left, self.right = nn.Embedding(N_AA, cz), nn.Embedding(N_AA, cz)
        self.row = nn.ModuleList(RowAttention(cm, cz) for _ in range(2))
        self.opm = nn.ModuleList(OuterProductMean(cm, cz) for _ in range(2))
        self.head = nn.Sequential(nn.LayerNorm(cz), nn.Linear(cz, N_FOLDS))

    def forward(self, msa, deletions, res_mask):
        seq = msa[:, 0]
        z = self.left(seq)[:, :, None] + self.right(seq)[:, None]
        del_val = 2 / math.pi * torch.atan(deletions / 3.0)
        m = self.msa_emb(torch.cat([nn.functional.one_hot(msa, N_AA).float(), del_val[..., None]], -1))
        msa_mask = ((msa != GAP).any(-1, keepdim=True) & res_mask[:, None]).float()
        for row, opm in zip(self.row, self.opm):
            m = row(m, z, res_mask)
            z = z + opm(m, msa_mask)
        pair_mask = (res_mask[:, :, None] & res_mask[:, None]).float()[..., None]
        return self.head((z * pair_mask).sum((1, 2)) / pair_mask.sum((1, 2)))


def _inputs(n):
    msa = torch.randint(0, N_AA, (n, N_SEQ, N_RES))
    msa[:, -1] = GAP
    lengths = torch.randint(8, N_RES + 1, (n,))
    res_mask = torch.arange(N_RES)[None] < lengths[:, None]
    return msa, torch.randint(0, 5, (n, N_SEQ, N_RES)).float(), res_mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": Evoformer().eval(), "inputs": _inputs, "kind": "benign"}
