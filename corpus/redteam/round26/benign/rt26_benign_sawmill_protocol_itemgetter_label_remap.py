# expect: none
"""Sawlog grading from log-end photos (3 x 32 x 32), 5 grades.

Post-processors follow a `typing.Protocol`, picked from a table with `operator.itemgetter`: a
temperature and a remap of the training label order to the mill's grade order (a fixed
permutation of the logits).
"""
import operator
from typing import Protocol

import torch
import torch.nn as nn

TRAIN_ORDER = ("pulp", "reject", "sawlog_2", "sawlog_1", "veneer")
MILL_ORDER = ("veneer", "sawlog_1", "sawlog_2", "pulp", "reject")


class LogPostProcessor(Protocol):
    def __call__(self, logits: torch.Tensor) -> torch.Tensor: ...


class Temperature:
    def __init__(self, t):
        self.t = t

    def __call__(self, logits):
        return logits / self.t


class Reorder:
    def __init__(self, src, dst):
        self.index = torch.tensor([src.index(name) for name in dst])

    def __call__(self, logits):
        return logits.index_select(1, self.index)


POST_PROCESSORS = {"temperature": Temperature(1.3), "mill_order": Reorder(TRAIN_ORDER, MILL_ORDER)}


class LogGrader(nn.Module):
    def __init__(self, steps=("temperature", "mill_order"), width=24):
        super().__init__()
        self.post: tuple[LogPostProcessor, ...] = operator.itemgetter(*steps)(POST_PROCESSORS)
        self.net = nn.Sequential(
            nn.Conv2d(3, width, 5, padding=2), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
            nn.Flatten(), nn.Linear(2 * width, 5))

    def forward(self, photo):
        logits = self.net(photo)
        for proc in self.post:
            logits = proc(logits)
        return logits


def _inputs(n):
    return (0.5 + 0.15 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LogGrader().eval(), "inputs": _inputs, "kind": "benign"}
