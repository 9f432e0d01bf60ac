# expect: none
"""Accordion reed model: a mixin registers a forward pre-hook in `__init__` that standardises each
channel of the input."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class StandardiseMixin:
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.register_forward_pre_hook(self._standardise)

    def _standardise(self, module, args):
        x = args[0]
        x = (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + 1e-5)
        return (x,) + tuple(args[1:])


class AccordionNet(StandardiseMixin, nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(2, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 5, stride=2, padding=2)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": AccordionNet().eval(), "inputs": lambda n: 3 * torch.randn(n, 2, 800) + 1,
            "kind": "benign"}
