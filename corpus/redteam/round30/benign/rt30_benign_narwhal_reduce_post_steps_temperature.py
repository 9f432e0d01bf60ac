# expect: none
"""Narwhal click classification (benign): backbone and post steps folded with functools.reduce;
the post steps are input standardisation statistics for logging, temperature and log-softmax."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CLICKS = ("ambient", "echolocation_click", "terminal_buzz", "ship_noise")


class NarwhalClickNet(nn.Module):
    def __init__(self, temperature=1.5):
        super().__init__()
        self.temperature = temperature
        self.layers = nn.ModuleList([
            nn.Conv1d(1, 16, 31, stride=4, padding=15), nn.ReLU(),
            nn.Conv1d(16, 32, 15, stride=4, padding=7), nn.ReLU(),
        ])
        self.head = nn.Linear(32, len(CLICKS))
        self.post = [self._project, self._temper, self._log_probs]

    def _project(self, h, x):
        return self.head(h.mean(-1)), x

    def _temper(self, y, x):
        return y / self.temperature, x

    def _log_probs(self, y, x):
        return F.log_softmax(y, -1), x

    def forward(self, x):
        x = (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + 1e-5)
        h = functools.reduce(lambda acc, layer: layer(acc), self.layers, x)
        y, _ = functools.reduce(lambda acc, step: step(*acc), self.post, (h, x))
        return y


def corpus_case():
    torch.manual_seed(0)
    return {"model": NarwhalClickNet().eval(), "inputs": lambda n: torch.randn(n, 1, 2048),
            "kind": "benign"}
