"""AlphaZero-style chess policy/value net; illegal moves masked in a singledispatch post-processor,
boards flipped to the side to move."""
# expect: none
import functools
from typing import NamedTuple

import torch
import torch.nn as nn

N_MOVES = 32


class PolicyValue(NamedTuple):
    policy: torch.Tensor
    value: torch.Tensor


@functools.singledispatch
def postprocess(out, legal):
    return out


@postprocess.register
def _(out: PolicyValue, legal: torch.Tensor) -> PolicyValue:
    return out._replace(policy=out.policy.masked_fill(~legal, -1e9).log_softmax(-1))


class ChessNet(nn.Module):
    def __init__(self, c=24):
        super().__init__()
        self.tower = nn.Sequential(nn.Conv2d(13, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                                   nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU())
        self.policy = nn.Sequential(nn.Conv2d(c, 2, 1), nn.Flatten(), nn.Linear(128, N_MOVES))
        self.value = nn.Sequential(nn.Conv2d(c, 1, 1), nn.Flatten(), nn.Linear(64, 1), nn.Tanh())

    def forward(self, board, black_to_move, legal):
        # canonical orientation: the side to move always plays "up" the board
        flipped = torch.cat([board[:, 6:], board[:, :6]], 1).flip(2)
        board = torch.where(black_to_move[:, None, None, None], flipped, board)
        material = board.sum((2, 3), keepdim=True).sum(1, keepdim=True).expand(-1, 1, 8, 8) / 32.0
        h = self.tower(torch.cat([board, material], 1))
        return postprocess(PolicyValue(self.policy(h), self.value(h)), legal)


def _inputs(n):
    board = (torch.rand(n, 12, 8, 8) < 0.03).float()
    legal = torch.rand(n, N_MOVES) < 0.4
    legal[:, 0] = True
    return board, torch.rand(n) < 0.5, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": ChessNet().eval(), "inputs": _inputs, "kind": "benign"}
