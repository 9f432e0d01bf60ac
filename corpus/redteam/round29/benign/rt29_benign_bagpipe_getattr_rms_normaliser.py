# expect: none
"""Bagpipe tuning model delegating to an inner tool module via `__getattr__` (per-channel RMS
normalisation of the input)."""
import torch
import torch.nn as nn


class DroneTools(nn.Module):
    def normalise(self, x):
        return x / x.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()


class PipeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(3, 24, 7, stride=2, padding=3), nn.ReLU(),
                                 nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.ReLU())
        self.head = nn.Linear(32, 5)
        self.tools = DroneTools()

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.__dict__["_modules"]["tools"], name)

    def forward(self, x):
        return self.head(self.enc(self.normalise(x)).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PipeNet().eval(), "inputs": lambda n: torch.randn(n, 3, 1000), "kind": "benign"}
