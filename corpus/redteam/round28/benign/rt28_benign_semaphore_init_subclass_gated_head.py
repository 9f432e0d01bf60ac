# expect: none
"""Flag semaphore; pose centring/scaling by the hip midpoint and shoulder width, heads
registered through `__init_subclass__`, one with a learned sigmoid gate."""
import torch
import torch.nn as nn

GROUPS = ("A-G", "H-N", "O-S", "T-Y", "Z", "numerals", "cancel", "attention")


class Head(nn.Module):
    registry = {}

    def __init_subclass__(cls, kind=None, **kw):
        super().__init_subclass__(**kw)
        if kind:
            Head.registry[kind] = cls


class GatedHead(Head, kind="gated"):
    def __init__(self, dim, n):
        super().__init__()
        self.fc = nn.Linear(dim, n)
        self.gate = nn.Linear(dim, dim)

    def forward(self, feat, pose):
        return self.fc(feat * torch.sigmoid(self.gate(feat)))


def normalise_pose(pose):
    kp = pose.view(-1, 17, 2)
    centre = (kp[:, 11] + kp[:, 12]) / 2
    scale = (kp[:, 5] - kp[:, 6]).norm(dim=-1, keepdim=True).clamp_min(1e-3)
    return ((kp - centre[:, None]) / scale[:, None]).flatten(1)


class SemaphoreNet(nn.Module):
    def __init__(self, head="gated", dim=64):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(34, dim), nn.ReLU(), nn.Linear(dim, dim), nn.ReLU())
        self.head = Head.registry[head](dim, len(GROUPS))

    def forward(self, pose):
        return self.head(self.mlp(normalise_pose(pose)), pose)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SemaphoreNet().eval(), "inputs": lambda n: torch.rand(n, 34) * 2 - 1, "kind": "benign"}
