# expect: none
"""Change-ringing method classifier (benign twin). The head class is built with `type()`; it
gates its hidden features with a learned sigmoid gate.
"""
import torch
import torch.nn as nn

METHODS = ("plain_bob", "grandsire", "stedman", "cambridge", "yorkshire", "kent")


def _head_init(self, dim, n_out):
    nn.Module.__init__(self)
    self.proj = nn.Linear(dim, dim)
    self.gate = nn.Linear(dim, dim)
    self.out = nn.Linear(dim, n_out)


def _head_forward(self, h):
    return self.out(torch.tanh(self.proj(h)) * torch.sigmoid(self.gate(h)))


TowerHead = type("TowerHead", (nn.Module,), {"__init__": _head_init, "forward": _head_forward})


class StrikeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(8, 48, batch_first=True)
        self.head = TowerHead(48, len(METHODS))

    def forward(self, rows):
        _, h = self.rnn(rows.transpose(1, 2))
        return self.head(h[-1])


def _inputs(n):
    return torch.rand(n, 8, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": StrikeNet().eval(), "inputs": _inputs, "kind": "benign"}
