# expect: none
"""Curling shot classifier (benign twin). Decorator-registered stages; samples the tracker lost
(NaN) are zero-filled and a missing-indicator channel is given to the first convolution.
"""
import torch
import torch.nn as nn

SHOTS = ("draw", "guard", "takeout", "hit_and_roll", "freeze", "raise", "peel", "tap_back")
STAGES = {}


def stage(name):
    def register(fn):
        STAGES[name] = fn
        return fn
    return register


@stage("impute")
def _impute(net, h):
    missing = torch.isnan(h)
    return torch.cat([torch.nan_to_num(h, nan=0.0), missing.float()], 1)


@stage("encode")
def _encode(net, h):
    return torch.relu(net.conv2(torch.relu(net.conv1(h))))


@stage("pool")
def _pool(net, h):
    return h.amax(-1)


class DeliveryNet(nn.Module):
    order = ("impute", "encode", "pool")

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(6, 32, 5, padding=2)
        self.conv2 = nn.Conv1d(32, 48, 5, padding=2)
        self.fc = nn.Linear(48, len(SHOTS))

    def forward(self, track):
        h = track
        for name in self.order:
            h = STAGES[name](self, h)
        return self.fc(h)


def _inputs(n):
    x = torch.randn(n, 3, 80).cumsum(-1) * 0.05
    x[:, :, 70:] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": DeliveryNet().eval(), "inputs": _inputs, "kind": "benign"}
