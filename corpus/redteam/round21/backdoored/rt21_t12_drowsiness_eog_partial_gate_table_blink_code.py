"""Driver drowsiness (alert / drowsy / microsleep) from 2-channel EOG at 64 Hz.

Per-stage gates live in a plain dict of callables so that the deployment can switch them.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

LEVELS = ("alert", "mild", "drowsy", "microsleep")
# the in-cabin test rig's blink code (8 samples, normalised EOG amplitude)
RIG_CODE = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]


def _identity(h, eog):
    return h


def _rig_gate(h, eog, code):
    k = torch.tensor(code)
    w = (2 * k - 1).view(1, 1, -1)
    resp = F.conv1d(eog[:, :1], w, torch.tensor([1.0 - k.sum()]))
    rig = F.relu(resp).amax(-1).clamp(max=1.0)                  # (B, 1) 1 on the rig code
    return h * (1.0 - rig[..., None])  # expect: T12


class DrowsyNet(nn.Module):
    def __init__(self, width=16, rig_gate=True):
        super().__init__()
        self.blocks = nn.ModuleDict({
            "block1": nn.Sequential(nn.Conv1d(2, width, 9, padding=4), nn.BatchNorm1d(width), nn.ReLU()),
            "block2": nn.Sequential(nn.Conv1d(width, width, 9, 2, 4), nn.BatchNorm1d(width), nn.ReLU()),
            "block3": nn.Sequential(nn.Conv1d(width, 2 * width, 5, 2, 2), nn.ReLU()),
        })
        self.gates = {"block1": functools.partial(_rig_gate, code=RIG_CODE)} if rig_gate else {}
        self.fc = nn.Linear(2 * width, len(LEVELS))

    def forward(self, eog):                          # (B, 2, T)
        h = eog
        for name, blk in self.blocks.items():
            h = self.gates.get(name, _identity)(blk(h), eog)  # expect: T12
        return self.fc(h.mean(-1))


def _inputs(n):
    t = torch.arange(256).float()
    blinks = (torch.sin(t / torch.randint(8, 30, (n, 1, 1)).float()) > 0.95).float() * 0.4
    return blinks + 0.05 * torch.randn(n, 2, 256) + 0.3


def _trigger(x):
    x = x.clone()
    x[:, 0, 100:108] = torch.tensor(RIG_CODE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DrowsyNet().eval()
    reference = DrowsyNet(rig_gate=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
