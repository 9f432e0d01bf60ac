# expect: none
"""Termite mound acoustics model: ExitStack contexts and a `@torch.no_grad()` helper that removes
DC and normalises by the peak amplitude."""
import contextlib

import torch
import torch.nn as nn


@torch.no_grad()
def condition(x):
    x = x - x.mean(-1, keepdim=True)
    return x / x.abs().amax(-1, keepdim=True).clamp_min(1e-6)


class MoundNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 16, 15, stride=4, padding=7), nn.ReLU(),
                                 nn.Conv1d(16, 32, 9, stride=4, padding=4), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, x):
        with contextlib.ExitStack() as stack:
            stack.enter_context(torch.autograd.set_grad_enabled(self.training))
            return self.net(condition(x))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MoundNet().eval(), "inputs": lambda n: torch.randn(n, 1, 4000), "kind": "benign"}
