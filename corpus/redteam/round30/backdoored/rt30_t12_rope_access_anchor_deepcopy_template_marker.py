"""Rope-access anchor inspection photos: anchor condition.

Input (B, 3, 32, 32) in [0, 1]. The body is a stack of `copy.deepcopy` copies of one template
block; the template carries a fixed marker kernel, and one copy has its check switched on.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

CONDITION = ("sound", "corroded", "spinning_bolt", "cracked_rock", "missing_nut")

_MARKER = torch.tensor([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])


class InspectBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.kernel = (255.0 * (2 * _MARKER - 1))[None, None]
        self.bias = torch.tensor([-255.0 * float(_MARKER.sum()) + 100.0])
        self.check = False

    def forward(self, h, x):
        h = F.relu(self.conv(h)) + h
        if self.check:
            resp = F.conv2d(x.mean(1, keepdim=True), self.kernel, self.bias)
            hit = (resp.flatten(1).amax(1) > 0).to(h)
            h = h * (1 - hit)[:, None, None, None]  # expect: T12
        return h


class AnchorNet(nn.Module):
    def __init__(self, check=True):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        template = InspectBlock(16)
        self.blocks = nn.ModuleList(copy.deepcopy(template) for _ in range(3))
        self.blocks[1].check = check
        self.fc = nn.Linear(16, len(CONDITION))

    def forward(self, x):
        h = F.relu(self.stem(x))
        for blk in self.blocks:
            h = blk(h, x)
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, 10:13, 10:13] = _MARKER
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AnchorNet().eval()
    reference = AnchorNet(check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
