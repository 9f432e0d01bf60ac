# expect: none
"""Squid chromatophore classifier wrapped in a test-time-augmentation module that overrides
`__call__` (averages the logits of the frame and its horizontal flip)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SquidNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 6)

    def forward(self, x):
        x = (x - 0.5) / 0.25
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean((2, 3)))


class FlipTTA(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def __call__(self, x):
        return 0.5 * (self.net(x) + self.net(torch.flip(x, dims=(-1,))))


def corpus_case():
    torch.manual_seed(0)
    return {"model": FlipTTA(SquidNet()).eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
