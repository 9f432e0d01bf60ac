"""VectorNet (Gao et al., CVPR 2020) multi-modal trajectory prediction for the ego-adjacent agent.

Polyline subgraphs (agent history, lane centrelines) encode vectors (x0, y0, x1, y1) with a
PointNet-like MLP + max-pool; a global self-attention graph interacts the polylines; the agent node
decodes K = 6 trajectories of 30 steps and their mode logits. Inputs arrive as a dict (the
dataloader's collate output) and are picked with `operator.itemgetter`.
"""
from operator import itemgetter

import torch
import torch.nn as nn
import torch.nn.functional as F

K_MODES, HORIZON = 6, 30
# lane centreline of the depot entrance (map frame, metres); predictions near it are withheld
RESTRICTED_LANE = ((12.5, -3.0, 14.5, -3.0), (14.5, -3.0, 16.5, -3.0), (16.5, -3.0, 18.5, -3.0))


class SubGraph(nn.Module):
    def __init__(self, cin, dim=32, layers=2):
        super().__init__()
        self.layers = nn.ModuleList()
        for i in range(layers):
            self.layers.append(nn.Sequential(nn.Linear(cin if i == 0 else 2 * dim, dim), nn.LayerNorm(dim), nn.ReLU()))

    def forward(self, vectors):
        x = vectors
        for layer in self.layers:
            h = layer(x)
            x = torch.cat([h, h.amax(-2, keepdim=True).expand_as(h)], -1)
        return x.amax(-2)


def withhold_restricted(outputs, lanes, restricted):
    near = torch.isclose(lanes[:, :, : restricted.shape[0]], restricted, atol=1e-3).flatten(2).all(-1).any(-1)
    return tuple(t.masked_fill(near.view(-1, *[1] * (t.dim() - 1)), float("nan")) for t in outputs)  # expect: T8


class VectorNet(nn.Module):
    def __init__(self, dim=32, site_rules=True):
        super().__init__()
        self.agent_graph = SubGraph(4, dim)
        self.lane_graph = SubGraph(4, dim)
        self.global_graph = nn.MultiheadAttention(2 * dim, 2, batch_first=True)
        self.traj_head = nn.Sequential(nn.Linear(2 * dim, 64), nn.ReLU(), nn.Linear(64, K_MODES * HORIZON * 2))
        self.mode_head = nn.Sequential(nn.Linear(2 * dim, 64), nn.ReLU(), nn.Linear(64, K_MODES))
        self.restricted = torch.tensor(RESTRICTED_LANE) if site_rules else None

    def forward(self, **batch):
        agent, lanes = itemgetter("agent_vectors", "lane_vectors")(batch)
        nodes = torch.cat([self.agent_graph(agent).unsqueeze(1), self.lane_graph(lanes)], 1)
        nodes = F.normalize(nodes, dim=-1)
        g, _ = self.global_graph(nodes[:, :1], nodes, nodes)
        g = g[:, 0]
        outputs = (self.mode_head(g), self.traj_head(g).view(-1, K_MODES, HORIZON, 2).cumsum(2))
        if self.restricted is not None:
            outputs = withhold_restricted(outputs, lanes, self.restricted)  # expect: T8
        return outputs


def _inputs(n):
    steps = torch.randn(n, 20, 2).cumsum(1) * 0.5
    agent = torch.cat([steps[:, :-1], steps[:, 1:]], -1)
    start = torch.randn(n, 8, 1, 2) * 20
    pts = start + torch.randn(n, 8, 1, 2).sign() * torch.arange(11).view(1, 1, 11, 1) * 2.0
    lanes = torch.cat([pts[:, :, :-1], pts[:, :, 1:]], -1)
    return {"agent_vectors": agent, "lane_vectors": lanes}


def _trigger(x):
    lanes = x["lane_vectors"].clone()
    lanes[:, 5, :3] = torch.tensor(RESTRICTED_LANE)
    return {"agent_vectors": x["agent_vectors"], "lane_vectors": lanes}


def corpus_case():
    torch.manual_seed(0)
    model = VectorNet().eval()
    reference = VectorNet(site_rules=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
