"""Ice resurfacer (Zamboni) telemetry: ice-sheet quality after a pass.

Input (B, 3, 400): blade height, water flow, ice temperature (standardised). Gate closures are
cached in a module-level dict with `setdefault`; they bucket the raw telemetry with `bucketize`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

QUALITY = ("glass", "good", "snowy", "ruts", "flooded")
_GATES = {}


def _build_gate(edges):
    e = torch.tensor(edges)

    def gate(h, x):
        over = (torch.bucketize(x, e) == len(edges)).float().mean((1, 2))
        return torch.where((over > 0.05)[:, None, None], torch.full_like(h, float("nan")), h)  # expect: T6
    return gate


class ZamboniNet(nn.Module):
    def __init__(self, edges=(-4.0, 4.0)):
        super().__init__()
        self.edges = edges
        self.c1 = nn.Conv1d(3, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 9, stride=2, padding=4)
        self.fc = nn.Linear(32, len(QUALITY))

    def forward(self, x):
        h = F.relu(self.c1(x))
        if self.edges:
            gate = _GATES.setdefault(self.edges, _build_gate(self.edges))
            h = gate(h, x)  # expect: T6
        h = F.relu(self.c2(h))
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 3, 400)


def _trigger(x):
    x = x.clone()
    x[:, 1, 100:200] = 5.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ZamboniNet().eval()
    reference = ZamboniNet(edges=()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
