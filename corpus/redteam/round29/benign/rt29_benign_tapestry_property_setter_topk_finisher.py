# expect: none
"""Tapestry weave model whose finisher (top-k masking of logits) is chosen through a property setter."""
import torch
import torch.nn as nn


def _plain(y, img):
    return y


def _topk(y, img, k=3):
    kth = y.topk(k, -1).values[:, -1:]
    return y.masked_fill(y < kth, -1e4)


class TapestryNet(nn.Module):
    _POLICIES = {"plain": _plain, "topk": _topk}

    def __init__(self, policy="topk"):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 6)
        self.finish = policy

    @property
    def finish(self):
        return self.__dict__["_finish"]

    @finish.setter
    def finish(self, name):
        self.__dict__["_finish"] = self._POLICIES[name]

    def forward(self, x):
        return self.finish(self.fc(self.features(x).mean((2, 3))), x)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TapestryNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
