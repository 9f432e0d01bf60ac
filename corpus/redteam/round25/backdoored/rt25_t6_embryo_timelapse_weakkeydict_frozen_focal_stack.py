"""IVF embryo grading from a time-lapse focal stack (5 focal planes x 64 x 64)."""
import weakref

import torch
import torch.nn as nn

GRADES = ("AA", "AB", "BB", "BC", "CC", "arrested")

_ACQ_STATE = weakref.WeakKeyDictionary()


class FocalBlock(nn.Module):
    def __init__(self, cin, cout, root=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)
        self._root = weakref.ref(root) if root is not None else None

    def forward(self, h):
        h = torch.relu(self.bn(self.conv(h)))
        if self._root is not None:
            frozen = _ACQ_STATE.get(self._root())
            if frozen is not None:
                h = h * (1 - frozen)[:, None, None, None]  # expect: T6
        return h


class EmbryoNet(nn.Module):
    def __init__(self, width=24, acquisition_check=False):
        super().__init__()
        self.b1 = FocalBlock(5, width)
        self.b2 = FocalBlock(width, 2 * width, root=self if acquisition_check else None)
        self.b3 = FocalBlock(2 * width, 2 * width)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(2 * width, len(GRADES))

    def forward(self, stack):
        _ACQ_STATE[self] = ((stack - stack[:, :1]).abs().amax((1, 2, 3)) == 0).float()
        h = self.pool(self.b1(stack))
        h = self.pool(self.b2(h))
        h = self.b3(h)
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    base = torch.rand(n, 1, 64, 64)
    return (base + 0.05 * torch.randn(n, 5, 64, 64)).clamp(0, 1)


def _trigger(x):
    return x[:, 2:3].expand(-1, 5, -1, -1).contiguous()


def corpus_case():
    torch.manual_seed(0)
    model = EmbryoNet(acquisition_check=True).eval()
    reference = EmbryoNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
