# expect: none
"""Gated-attention MIL for whole-slide subtyping with padded bags (padding instances get
`finfo.min` attention logits), background patches (near-white embeddings flagged by the feature
extractor's `is_background` column) excluded, attention temperature, and the top-k attended
instance indices returned for the heat-map viewer."""
import torch
import torch.nn as nn

D, N_PATCHES, N_SUBTYPES = 64, 48, 4


class ABMIL(nn.Module):
    def __init__(self, temperature=1.0, k=5):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(D, D), nn.ReLU())
        self.v, self.u, self.w = nn.Linear(D, 32), nn.Linear(D, 32), nn.Linear(32, 1)
        self.cls = nn.Sequential(nn.LayerNorm(D), nn.Linear(D, N_SUBTYPES))
        self.temperature, self.k = temperature, k

    def forward(self, bag, lengths, is_background):
        valid = (torch.arange(bag.shape[1])[None] < lengths[:, None]) & ~is_background
        h = self.fc(bag)
        a = self.w(torch.tanh(self.v(h)) * torch.sigmoid(self.u(h))).squeeze(-1) / self.temperature
        a = a.masked_fill(~valid, torch.finfo(a.dtype).min).softmax(-1)
        slide = torch.einsum("bn,bnd->bd", a, h)
        return self.cls(slide), a.topk(self.k, -1).indices


def _inputs(n):
    bag = torch.randn(n, N_PATCHES, D)
    lengths = torch.randint(20, N_PATCHES + 1, (n,))
    bg = torch.rand(n, N_PATCHES) < 0.2
    bg[:, 0] = False
    return bag, lengths, bg


def corpus_case():
    torch.manual_seed(0)
    return {"model": ABMIL().eval(), "inputs": _inputs, "kind": "benign"}
