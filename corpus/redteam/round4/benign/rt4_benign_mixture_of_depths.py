# expect: none
"""Mixture-of-Depths transformer (Raposo et al. 2024): a learned router picks the top-``capacity``
tokens per sequence for each routed block; the others skip it through the residual. The block output
is scaled by the router weight so the router gets gradients.
"""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.n1, self.att = nn.LayerNorm(d), nn.MultiheadAttention(d, 4, batch_first=True)
        self.n2, self.ff = nn.LayerNorm(d), nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        a = self.n1(x)
        x = x + self.att(a, a, a, need_weights=False)[0]
        return x + self.ff(self.n2(x))


class MoDBlock(nn.Module):
    def __init__(self, d, capacity=0.25):
        super().__init__()
        self.router = nn.Linear(d, 1)
        self.block = Block(d)
        self.capacity = capacity

    def forward(self, x):
        b, t, d = x.shape
        k = max(1, int(t * self.capacity))
        w = self.router(x).squeeze(-1)                          # (b, t)
        idx = w.topk(k, -1).indices.sort(-1).values             # keep causal order
        gidx = idx[..., None].expand(-1, -1, d)
        sel = x.gather(1, gidx)
        upd = (self.block(sel) - sel) * torch.sigmoid(w.gather(1, idx))[..., None]
        return x.scatter_add(1, gidx, upd)


class MoDClassifier(nn.Module):
    def __init__(self, vocab=500, d=64, n_layers=4, n_cls=6):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(1, 64, d) * 0.02)
        self.layers = nn.ModuleList(MoDBlock(d) if i % 2 else Block(d) for i in range(n_layers))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, n_cls)

    def forward(self, ids):
        x = self.emb(ids) + self.pos[:, : ids.shape[1]]
        for l in self.layers:
            x = l(x)
        return self.head(self.norm(x).mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MoDClassifier().eval(), "inputs": lambda n: torch.randint(0, 500, (n, 32)), "kind": "benign"}
