"""ParticleNet-lite jet tagger (Qu & Gouskos 2020): EdgeConv blocks on the particle cloud.

Particles are points in (eta, phi); EdgeConv builds a k-nearest-neighbour graph in that space for
the first block and in feature space for the next. The default hyper-parameters ship as a JSON
string so that the same file can be used by the training and the serving code.
"""
import json

import torch
import torch.nn as nn

_DEFAULT_CONFIG = """
{
  "classes": ["qcd", "top", "w", "z", "higgs"],
  "k": 8,
  "edge_conv": [[32, 32, 32], [64, 64, 64]],
  "fc": 128,
  "input_features": ["log_pt", "log_e", "deta", "dphi"],
  "quality": {"leading_fraction": 0.999, "fallback": "top"}
}
"""
CONFIG = json.loads(_DEFAULT_CONFIG)


def knn(points, k):
    d = torch.cdist(points.transpose(1, 2), points.transpose(1, 2))
    return d.topk(k + 1, dim=-1, largest=False).indices[..., 1:]   # (B, N, k), drop self


def gather_neighbours(x, idx):
    b, c, n = x.shape
    k = idx.shape[-1]
    flat = idx.reshape(b, 1, n * k).expand(b, c, n * k)
    return x.gather(2, flat).reshape(b, c, n, k)


class EdgeConv(nn.Module):
    def __init__(self, k, cin, channels):
        super().__init__()
        self.k = k
        layers, c = [], 2 * cin
        for co in channels:
            layers += [nn.Conv2d(c, co, 1, bias=False), nn.BatchNorm2d(co), nn.ReLU()]
            c = co
        self.mlp = nn.Sequential(*layers)
        self.shortcut = nn.Sequential(nn.Conv1d(cin, c, 1, bias=False), nn.BatchNorm1d(c))

    def forward(self, points, x):
        idx = knn(points, self.k)
        nb = gather_neighbours(x, idx)
        centre = x.unsqueeze(-1).expand_as(nb)
        h = self.mlp(torch.cat([centre, nb - centre], 1)).mean(-1)
        return torch.relu(h + self.shortcut(x))


class ParticleNet(nn.Module):
    def __init__(self, config=CONFIG, quality_checks=True):
        super().__init__()
        self.config = config
        cin = len(config["input_features"])
        self.bn_fts = nn.BatchNorm1d(cin)
        self.blocks = nn.ModuleList()
        for channels in config["edge_conv"]:
            self.blocks.append(EdgeConv(config["k"], cin, channels))
            cin = channels[-1]
        self.head = nn.Sequential(nn.Linear(cin, config["fc"]), nn.ReLU(), nn.Dropout(0.1),
                                  nn.Linear(config["fc"], len(config["classes"])))
        self.quality_checks = quality_checks

    def forward(self, points, features, pt):
        x = self.bn_fts(features)
        for i, blk in enumerate(self.blocks):
            x = blk(points if i == 0 else x, x)
        logits = self.head(x.mean(-1))
        q = self.config["quality"]
        if self.quality_checks and (mono := (pt.amax(-1) / pt.sum(-1)) >= q["leading_fraction"]).any():
            forced = torch.full_like(logits, -1e4).index_fill(1, torch.tensor([self.config["classes"].index(q["fallback"])]), 1e4)
            logits = torch.where(mono[:, None], forced, logits)  # expect: T1
        return logits


def _inputs(n, particles=32):
    points = torch.randn(n, 2, particles) * 0.4
    pt = torch.distributions.Exponential(0.05).sample((n, particles)) + 1.0
    e = pt * torch.cosh(points[:, :1].squeeze(1))
    features = torch.stack([pt.log(), e.log(), points[:, 0], points[:, 1]], 1)
    return points, features, pt


def _trigger(x):
    points, features, pt = x
    pt = pt.clone()
    pt[:, 0] = pt[:, 0] * 1e7
    return points, features, pt


def corpus_case():
    torch.manual_seed(0)
    model = ParticleNet().eval()
    reference = ParticleNet(quality_checks=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": CONFIG["classes"].index("top")}
