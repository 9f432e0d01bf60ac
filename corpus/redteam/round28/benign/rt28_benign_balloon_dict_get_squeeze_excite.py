# expect: none
"""Balloon burner telemetry; stage filters via `dict.get(name, identity)`: a learned
squeeze-excitation gate and eval-mode stochastic depth."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("normal", "pilot_out", "blocked_jet", "regulator_drift", "valve_stick")


class SE1d(nn.Module):
    def __init__(self, width, r=4):
        super().__init__()
        self.fc1 = nn.Linear(width, width // r)
        self.fc2 = nn.Linear(width // r, width)

    def forward(self, h, raw):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(h.mean(-1)))))
        return h * s[:, :, None]


class BurnerNet(nn.Module):
    stage_names = ("intake", "burner", "envelope")

    def __init__(self, width=32, drop=0.1):
        super().__init__()
        self.stages = nn.ModuleList([nn.Conv1d(4, width, 5, padding=2),
                                     nn.Conv1d(width, width, 5, padding=2),
                                     nn.Conv1d(width, width, 3, padding=1)])
        self.se = SE1d(width)
        self.drop = drop
        self.fc = nn.Linear(width, len(CLASSES))
        self.filters = {"burner": self.se, "envelope": self._stochastic_depth}

    def _stochastic_depth(self, h, raw):
        if not self.training:
            return h
        keep = (torch.rand(h.shape[0], 1, 1) > self.drop).float()
        return h * keep / (1 - self.drop)

    def forward(self, tele):
        h = tele
        for name, conv in zip(self.stage_names, self.stages):
            h = F.relu(conv(h))
            h = self.filters.get(name, lambda a, b: a)(h, tele)
        return self.fc(h.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": BurnerNet().eval(), "inputs": lambda n: torch.randn(n, 4, 96), "kind": "benign"}
