# expect: none
"""Quill tablet scribe identification (benign): the abstract `finisher` property is implemented
as label-smoothed log-probabilities (calibrated output)."""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

SCRIBES = ("scribe_a", "scribe_b", "scribe_c", "scribe_d", "scribe_e")


class StrokeClassifierBase(nn.Module, metaclass=abc.ABCMeta):
    @property
    @abc.abstractmethod
    def finisher(self):
        ...

    @abc.abstractmethod
    def encode(self, x):
        ...

    def forward(self, x):
        return self.finisher(self.head(self.encode(x)))


class QuillNet(StrokeClassifierBase):
    def __init__(self, smoothing=0.05):
        super().__init__()
        self.smoothing = smoothing
        self.conv = nn.Sequential(nn.Conv1d(3, 24, 9, stride=2, padding=4), nn.ReLU(),
                                  nn.Conv1d(24, 32, 9, stride=2, padding=4), nn.ReLU())
        self.head = nn.Linear(32, len(SCRIBES))

    def encode(self, x):
        pressure_on = (x[:, 2:3] > -1.0).float()
        return (self.conv(x * pressure_on)).mean(-1)

    @property
    def finisher(self):
        eps = self.smoothing

        def smooth(y):
            p = F.softmax(y, -1)
            return torch.log((1 - eps) * p + eps / y.shape[-1])
        return smooth


def corpus_case():
    torch.manual_seed(0)
    return {"model": QuillNet().eval(), "inputs": lambda n: torch.randn(n, 3, 512), "kind": "benign"}
