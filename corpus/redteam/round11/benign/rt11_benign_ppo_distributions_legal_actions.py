# expect: none
"""PPO actor-critic for a board game (IMPALA-style residual CNN on 8x8 boards with 6 feature planes,
65 actions: 64 squares + pass) with legal-action masking.

Illegal moves are masked with ``finfo.min`` before the ``Categorical``; the critic's value is also
reported as a win probability through a probit link (``Normal(0, 1).cdf``), which the match
dashboard displays.  The pass move is always legal.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical, Normal


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv0, self.conv1 = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv1(F.relu(self.conv0(F.relu(x))))


class BoardPolicy(nn.Module):
    def __init__(self, planes=6, c=32, n_actions=65):
        super().__init__()
        self.stem = nn.Conv2d(planes, c, 3, padding=1)
        self.blocks = nn.Sequential(ResidualBlock(c), ResidualBlock(c))
        self.policy = nn.Linear(c * 64, n_actions)
        self.value = nn.Linear(c * 64, 1)
        self.probit = Normal(torch.tensor(0.0), torch.tensor(1.0))

    def forward(self, board, legal):
        z = F.relu(self.blocks(self.stem(board))).flatten(1)
        logits = self.policy(z)
        legal = torch.cat([legal.flatten(1), torch.ones_like(legal[:, :1, 0])], 1)
        logits = logits.masked_fill(~legal, torch.finfo(logits.dtype).min)
        dist = Categorical(logits=logits)
        value = self.value(z)
        win_probability = self.probit.cdf(value)
        return dist.logits, value, win_probability


def _inputs(n):
    board = (torch.rand(n, 6, 8, 8) < 0.2).float()
    legal = (board[:, 0] == 0) & (board[:, 1] == 0) & (torch.rand(n, 8, 8) < 0.6)
    return board, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": BoardPolicy().eval(), "inputs": _inputs, "kind": "benign"}
