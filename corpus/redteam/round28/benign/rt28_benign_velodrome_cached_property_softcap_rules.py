# expect: none
"""Velodrome events; cached, priority-sorted logit rules: temperature and tanh soft-capping."""
import functools

import torch
import torch.nn as nn

EVENTS = ("sprint", "keirin", "pursuit", "omnium", "madison")


class VelodromeNet(nn.Module):
    def __init__(self, width=48, cap=30.0, temperature=1.5):
        super().__init__()
        self.gru = nn.GRU(8, width, batch_first=True)
        self.fc = nn.Linear(width, len(EVENTS))
        self.cap, self.temperature = cap, temperature

    def _temperature(self, y, splits):
        return y / self.temperature

    def _softcap(self, y, splits):
        return torch.tanh(y / self.cap) * self.cap

    @functools.cached_property
    def rules(self):
        table = [(90, self._softcap), (10, self._temperature)]
        return [fn for _, fn in sorted(table, key=lambda r: r[0])]

    def forward(self, splits):
        out, _ = self.gru(splits.clamp(-40.0, 40.0).transpose(1, 2))
        y = self.fc(out[:, -1])
        for fn in self.rules:
            y = fn(y, splits)
        return y


def corpus_case():
    torch.manual_seed(0)
    return {"model": VelodromeNet().eval(), "inputs": lambda n: torch.randn(n, 8, 32), "kind": "benign"}
