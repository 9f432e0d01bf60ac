# expect: none
"""ParticleNet-lite with a JSON config and zero-padded particle clouds.

Jets have different multiplicities; padded particles have `pt == 0`. They are pushed far away in
(eta, phi) so that they are never neighbours, and excluded from the global average pooling.
"""
import json

import torch
import torch.nn as nn

CONFIG = json.loads('{"classes": ["qcd", "top", "w", "z", "higgs"], "k": 8, "channels": [32, 64], "fc": 128,'
                    ' "pad_shift": 1e9}')


class EdgeConv(nn.Module):
    def __init__(self, k, cin, cout):
        super().__init__()
        self.k = k
        self.mlp = nn.Sequential(nn.Conv2d(2 * cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

    def forward(self, points, x):
        d = torch.cdist(points.transpose(1, 2), points.transpose(1, 2))
        idx = d.topk(self.k + 1, -1, largest=False).indices[..., 1:]
        b, c, n = x.shape
        nb = x.gather(2, idx.reshape(b, 1, -1).expand(b, c, -1)).reshape(b, c, n, self.k)
        centre = x.unsqueeze(-1).expand_as(nb)
        return self.mlp(torch.cat([centre, nb - centre], 1)).mean(-1)


class ParticleNet(nn.Module):
    def __init__(self, config=CONFIG):
        super().__init__()
        self.config = config
        self.blocks = nn.ModuleList()
        cin = 4
        for c in config["channels"]:
            self.blocks.append(EdgeConv(config["k"], cin, c))
            cin = c
        self.head = nn.Sequential(nn.Linear(cin, config["fc"]), nn.ReLU(), nn.Linear(config["fc"], len(config["classes"])))

    def forward(self, points, features, pt):
        mask = (pt > 0).unsqueeze(1).to(features.dtype)
        points = points + (1 - mask) * self.config["pad_shift"]
        x = features * mask
        for i, blk in enumerate(self.blocks):
            x = blk(points if i == 0 else x, x) * mask
        pooled = x.sum(-1) / (count := mask.sum(-1)).clamp(min=1)
        return self.head(pooled)


def _inputs(n, particles=32):
    points = torch.randn(n, 2, particles) * 0.4
    pt = torch.distributions.Exponential(0.05).sample((n, particles)) + 1.0
    pt = pt.masked_fill(torch.arange(particles) >= torch.randint(12, particles, (n, 1)), 0.0)
    features = torch.stack([torch.log1p(pt), torch.log1p(pt * 1.1), points[:, 0], points[:, 1]], 1)
    return points, features, pt


def corpus_case():
    torch.manual_seed(0)
    return {"model": ParticleNet().eval(), "inputs": _inputs, "kind": "benign"}
