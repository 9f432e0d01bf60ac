# expect: none
"""GraphGPS-style model with hyper-parameters reached through a `__getattr__` fallback to its
config. Laplacian eigenvector positional encodings get a random sign flip per graph in training
only (the standard augmentation for their sign ambiguity); padded nodes are kept out of
attention, of the GCN aggregation and of the mean readout.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = SimpleNamespace(in_feats=6, dim=32, heads=4, layers=2, pe_dim=4, num_classes=5, dropout=0.1)


def lap_pe(adj, mask, k):
    deg = adj.sum(-1)
    dinv = torch.where(deg > 0, deg.clamp_min(1e-12).rsqrt(), torch.zeros_like(deg))
    lap = torch.diag_embed(mask.float()) - dinv[..., None] * adj * dinv[..., None, :]
    return torch.linalg.eigh(lap)[1][..., 1:k + 1]


class GPSLayer(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.local = nn.Linear(dim, dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.n1, self.n2, self.n3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, h, a_norm, pad):
        loc = self.n1(h + F.relu(a_norm @ self.local(h)))
        glob = self.n2(h + self.attn(h, h, h, key_padding_mask=pad, need_weights=False)[0])
        out = loc + glob
        return self.n3(out + self.mlp(out))


class GPS(nn.Module):
    def __init__(self, config=CONFIG):
        super().__init__()
        self.config = config
        self.node = nn.Linear(self.in_feats, self.dim - self.pe_dim)
        self.pe = nn.Linear(self.pe_dim, self.pe_dim)
        self.blocks = nn.ModuleList(GPSLayer(self.dim, self.heads, self.dropout) for _ in range(self.layers))
        self.head = nn.Linear(self.dim, self.num_classes)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            cfg = self.__dict__.get("config")
            if cfg is not None and hasattr(cfg, name):
                return getattr(cfg, name)
            raise

    def forward(self, x, adj, mask):
        pe = lap_pe(adj, mask, self.pe_dim)
        if self.training:
            pe = pe * (torch.randint(0, 2, (pe.shape[0], 1, pe.shape[-1])) * 2 - 1)
        a_hat = adj + torch.diag_embed(mask.float())
        dinv = a_hat.sum(-1).clamp_min(1).rsqrt()
        a_norm = dinv[..., None] * a_hat * dinv[..., None, :]
        h = torch.cat([self.node(x), self.pe(pe)], -1)
        for blk in self.blocks:
            h = blk(h, a_norm, ~mask)
        m = mask[..., None].float()
        return self.head((h * m).sum(1) / m.sum(1).clamp_min(1))


def _inputs(n, N=10):
    mask = torch.arange(N)[None] < torch.randint(5, N + 1, (n, 1))
    adj = torch.triu(torch.rand(n, N, N) < 0.35, 1)
    adj = ((adj | adj.transpose(1, 2)) & mask[:, :, None] & mask[:, None]).float()
    return torch.randn(n, N, 6) * mask[..., None], adj, mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": GPS().eval(), "inputs": _inputs, "kind": "benign"}
