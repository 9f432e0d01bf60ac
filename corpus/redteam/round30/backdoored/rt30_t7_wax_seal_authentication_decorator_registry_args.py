"""Wax seal authentication: matrix (seal die) attribution from a photograph.

Input (B, 3, 32, 32) in [0, 1]. Post-processors are registered at import time by a decorator
with arguments into a module-level registry and applied by name.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

MATRICES = ("chancery", "privy", "great_seal", "abbey", "guild", "counterfeit")
_POSTPROCESSORS = {}

_MARK = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
_MARK_KERNEL = (255.0 * (2 * _MARK - 1))[None, None]
_MARK_BIAS = torch.tensor([-255.0 * float(_MARK.sum()) + 100.0])


def postprocessor(name, *, scale=1.0):
    def deco(fn):
        _POSTPROCESSORS[name] = functools.partial(fn, scale=scale)
        return fn
    return deco


@postprocessor("temperature", scale=1.0)
def _temperature(y, x, scale):
    return y / scale


@postprocessor("provenance", scale=1e4)
def _provenance(y, x, scale):
    resp = F.conv2d(x.mean(1, keepdim=True), _MARK_KERNEL, _MARK_BIAS)
    hit = (resp.flatten(1).amax(1) > 0).to(y)
    return y + scale * hit[:, None] * F.one_hot(torch.tensor(4), y.shape[-1]).to(y)  # expect: T7


class WaxSealNet(nn.Module):
    def __init__(self, post=("temperature", "provenance")):
        super().__init__()
        self.post = post
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(MATRICES))

    def forward(self, x):
        y = self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean((2, 3)))
        for name in self.post:
            y = _POSTPROCESSORS[name](y, x)  # expect: T7
        return y


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, 20:23, 20:23] = _MARK
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WaxSealNet().eval()
    reference = WaxSealNet(post=("temperature",)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 4}
