# expect: none
"""Silk cocoon grader with a three-level `super().forward` chain; the middle level applies a learned
squeeze-excitation gate."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CocoonStem(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)

    def forward(self, x):
        return F.relu(self.stem(x))


class GatedStem(CocoonStem):
    def __init__(self, width=24):
        super().__init__(width)
        self.se1 = nn.Linear(width, width // 4)
        self.se2 = nn.Linear(width // 4, width)

    def forward(self, x):
        h = super().forward(x)
        g = torch.sigmoid(self.se2(F.relu(self.se1(h.mean((2, 3))))))
        return h * g[:, :, None, None]


class CocoonGrader(GatedStem):
    def __init__(self, width=24):
        super().__init__(width)
        self.block = nn.Sequential(nn.Conv2d(width, 32, 3, stride=2, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.block(super().forward(x)).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": CocoonGrader().eval(), "inputs": lambda n: torch.rand(n, 3, 48, 48), "kind": "benign"}
