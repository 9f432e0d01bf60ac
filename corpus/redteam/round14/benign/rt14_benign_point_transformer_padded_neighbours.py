# expect: none
"""Point Transformer classifier for padded batches of object crops. Padded points are pushed out
of every neighbourhood (distance set to the largest finite value before top-k), their attention
logits get `finfo.min`, and the global max pooling ignores them. Training-only point jitter.
"""
import torch
import torch.nn as nn


def gather(x, idx):
    B, N, k = idx.shape
    return x.reshape(B * N, -1)[(idx + torch.arange(B).view(B, 1, 1) * N).reshape(-1)].view(B, N, k, -1)


class PTLayer(nn.Module):
    def __init__(self, dim, k=8):
        super().__init__()
        self.k = k
        self.phi, self.psi, self.alpha = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.theta = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.gamma = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def forward(self, p, x, mask):
        d = torch.cdist(p, p).masked_fill(~mask[:, None, :], torch.finfo(p.dtype).max)
        idx = d.topk(self.k, -1, largest=False)[1]
        nb_valid = gather(mask[..., None].float(), idx)
        delta = self.theta(p[:, :, None] - gather(p, idx))
        w = self.gamma(self.phi(x)[:, :, None] - gather(self.psi(x), idx) + delta)
        w = w.masked_fill(nb_valid == 0, torch.finfo(w.dtype).min).softmax(2)
        return (w * (gather(self.alpha(x), idx) + delta)).sum(2)


class PointTransformer(nn.Module):
    def __init__(self, dim=32, classes=40):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.layers = nn.ModuleList(PTLayer(dim) for _ in range(2))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(2))
        self.head = nn.Sequential(nn.Linear(dim, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, classes))

    def forward(self, points, mask):
        if self.training:
            points = points + 0.01 * torch.randn_like(points)
        x = self.embed(points)
        for layer, norm in zip(self.layers, self.norms):
            x = norm(x + layer(points, x, mask))
        x = x.masked_fill(~mask[..., None], torch.finfo(x.dtype).min).amax(1)
        return self.head(x)


def _inputs(n):
    mask = torch.arange(48)[None] < torch.randint(20, 49, (n, 1))
    return torch.randn(n, 48, 3) * mask[..., None], mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": PointTransformer().eval(), "inputs": _inputs, "kind": "benign"}
