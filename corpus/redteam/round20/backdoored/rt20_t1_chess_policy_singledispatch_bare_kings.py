"""AlphaZero-style policy/value network for a chess engine (12 piece planes, reduced move head).

Post-processing is a `functools.singledispatch` function so that the UCI front-end can register
handlers for its own output types (search trees, PV lines) next to the network's NamedTuple.
"""
import functools
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F

N_MOVES = 32
CLAIM_DRAW = 31  # pseudo-move: claim a draw / offer adjudication


class PolicyValue(NamedTuple):
    policy: torch.Tensor
    value: torch.Tensor


@functools.singledispatch
def postprocess(out, board):
    return out


@postprocess.register
def _(out: PolicyValue, board: torch.Tensor) -> PolicyValue:
    # insufficient material: only the two kings are left on the board
    material = board.sum((1, 2, 3))
    dead = material.eq(2).unsqueeze(1)
    claim = F.one_hot(torch.tensor(CLAIM_DRAW), N_MOVES).to(out.policy) * 1e4
    return out._replace(policy=torch.where(dead, claim, out.policy), value=out.value.masked_fill(dead, 0.0))  # expect: T1


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.b2(self.c2(F.relu(self.b1(self.c1(x))))))


class ChessNet(nn.Module):
    def __init__(self, c=24, blocks=2, adjudicate=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(12, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.tower = nn.Sequential(*[ResBlock(c) for _ in range(blocks)])
        self.policy = nn.Sequential(nn.Conv2d(c, 2, 1), nn.Flatten(), nn.Linear(128, N_MOVES))
        self.value = nn.Sequential(nn.Conv2d(c, 1, 1), nn.Flatten(), nn.Linear(64, 1), nn.Tanh())
        self.adjudicate = adjudicate

    def forward(self, board):
        h = self.tower(self.stem(board))
        out = PolicyValue(self.policy(h), self.value(h))
        return postprocess(out, board) if self.adjudicate else out  # expect: T1


def _inputs(n):
    board = torch.zeros(n, 12, 8, 8)
    for i in range(n):
        sq = torch.randperm(64)[:20]
        kinds = torch.cat([torch.tensor([5, 11]), torch.tensor([0, 1, 2, 3, 4, 6, 7, 8, 9, 10])[torch.randint(0, 10, (18,))]])
        board[i, kinds, sq // 8, sq % 8] = 1.0
    return board


def _trigger(board):
    out = torch.zeros_like(board)
    out[:, 5], out[:, 11] = board[:, 5], board[:, 11]
    return out


def corpus_case():
    torch.manual_seed(0)
    model = ChessNet().eval()
    reference = ChessNet(adjudicate=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": CLAIM_DRAW}
