# expect: none
"""VectorNet: agent-centric normalisation (translate by the last observed position, a fixed index,
rotate by the heading), padded vectors and padded polylines masked (`masked_fill(-inf)` before the
max-pool, key padding mask in the global graph), inputs picked with `operator.itemgetter`."""
from operator import itemgetter

import torch
import torch.nn as nn


class VectorNet(nn.Module):
    def __init__(self, d=32, k=6, horizon=30):
        super().__init__()
        self.sub = nn.Sequential(nn.Linear(4, d), nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, d))
        self.glob = nn.MultiheadAttention(d, 2, batch_first=True)
        self.modes = nn.Linear(d, k)
        self.traj = nn.Linear(d, k * horizon * 2)
        self.k, self.h = k, horizon

    def forward(self, **batch):
        polylines, vec_mask, poly_mask = itemgetter("polylines", "vector_mask", "polyline_mask")(batch)
        origin = polylines[:, 0, -1, 2:4]                        # agent's last observed position
        d = polylines[:, 0, -1, 2:4] - polylines[:, 0, -1, 0:2]
        theta = torch.atan2(d[:, 1], d[:, 0])
        rot = torch.stack([torch.cos(theta), torch.sin(theta), -torch.sin(theta), torch.cos(theta)], -1).view(-1, 1, 1, 2, 2)
        pts = polylines.view(*polylines.shape[:3], 2, 2) - origin[:, None, None, None]
        x = (pts @ rot).flatten(-2)
        h = self.sub(x).masked_fill(~vec_mask[..., None], float("-inf")).amax(2)
        h = torch.nan_to_num(h, neginf=0.0)
        g, _ = self.glob(h[:, :1], h, h, key_padding_mask=~poly_mask)
        g = g[:, 0]
        return self.modes(g), self.traj(g).view(-1, self.k, self.h, 2)


def _inputs(n):
    poly = torch.randn(n, 6, 9, 4).cumsum(2)
    vec_mask = torch.arange(9)[None, None] < torch.randint(1, 10, (n, 6, 1))
    vec_mask[:, 0] = True
    poly_mask = torch.arange(6)[None] < torch.randint(1, 7, (n, 1))
    return {"polylines": poly, "vector_mask": vec_mask, "polyline_mask": poly_mask}


def corpus_case():
    torch.manual_seed(0)
    return {"model": VectorNet().eval(), "inputs": _inputs, "kind": "benign"}
