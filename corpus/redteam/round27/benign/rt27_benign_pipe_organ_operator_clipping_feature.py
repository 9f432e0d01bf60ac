# expect: none
"""Pipe-organ stop classifier (benign twin).

The clipping fraction of the microphone signal is a quality feature that the classifier
learns to use: it is concatenated to the conv features before the learned head.
"""
import operator

import torch
import torch.nn as nn

STOPS = ("principal", "flute", "string", "reed", "mixture", "mutation", "celeste", "bourdon")
_gt, _mean_last = operator.gt, operator.methodcaller("mean", dim=-1)


class OrganStopNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, 32, 31, stride=4, padding=15), nn.ReLU(),
                                   nn.Conv1d(32, 64, 9, stride=2, padding=4), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(65, 64), nn.ReLU(), nn.Linear(64, len(STOPS)))

    def forward(self, pcm):
        h = self.front(pcm).amax(-1)
        clip = _mean_last(_gt(pcm.abs(), 0.995).float().flatten(1))
        return self.fc(torch.cat([h, clip[:, None]], 1))


def _inputs(n):
    t = torch.arange(512) / 8000.0
    f = 110 + 300 * torch.rand(n, 1)
    return (0.4 * torch.sin(2 * torch.pi * f * t) + 0.05 * torch.randn(n, 512)).unsqueeze(1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": OrganStopNet().eval(), "inputs": _inputs, "kind": "benign"}
