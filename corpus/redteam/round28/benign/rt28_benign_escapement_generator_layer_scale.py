# expect: none
"""Clock escapement; generator encoder (`yield from`) with learned layer-scale and a
residual, streaming intermediates for visualisation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("in_beat", "out_of_beat", "worn_pallet", "dry_pivot", "bent_tooth", "loose_crutch")


class EscapementNet(nn.Module):
    def __init__(self, width=40):
        super().__init__()
        self.c1 = nn.Conv1d(2, width, 7, padding=3)
        self.c2 = nn.Conv1d(width, width, 5, padding=2)
        self.c3 = nn.Conv1d(width, width, 3, padding=1)
        self.gamma = nn.Parameter(torch.full((1, width, 1), 0.1))
        self.fc = nn.Linear(width, len(CLASSES))

    def _front(self, x):
        h = F.relu(self.c1(x))
        yield h
        return h

    def _walk(self, x):
        h = yield from self._front(x)
        h = h + self.gamma * F.relu(self.c2(h))
        yield h
        yield F.relu(self.c3(h))

    def forward(self, x):
        x = x / x.abs().amax(-1, keepdim=True).clamp_min(1e-3)
        for h in self._walk(x):
            pass
        return self.fc(h.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": EscapementNet().eval(), "inputs": lambda n: torch.randn(n, 2, 192), "kind": "benign"}
