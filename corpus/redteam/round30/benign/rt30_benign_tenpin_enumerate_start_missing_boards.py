# expect: none
"""Ten-pin lane oil (benign): unreadable boards arrive as NaN; a stage (selected with
enumerate(start=1)) imputes zeros and appends a missing-indicator channel."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PATTERNS = ("house", "badger", "cheetah", "chameleon", "scorpion", "shark", "bear")


class MissingBoards(nn.Module):
    def forward(self, x):
        missing = torch.isnan(x)
        return torch.cat([torch.nan_to_num(x, 0.0), missing.float()], 1)


class LaneOilNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([MissingBoards(), nn.Conv1d(78, 32, 5, padding=2), nn.ReLU(),
                                     nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ReLU()])
        self.fc = nn.Linear(32, len(PATTERNS))

    def forward(self, x):
        h = x
        for depth, stage in enumerate(self.stages, start=1):
            h = stage(h)
            if depth == len(self.stages):
                h = h.mean(-1)
        return self.fc(h)


def _inputs(n):
    x = torch.randn(n, 39, 60)
    x[:, 3, 10:20] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": LaneOilNet().eval(), "inputs": _inputs, "kind": "benign"}
