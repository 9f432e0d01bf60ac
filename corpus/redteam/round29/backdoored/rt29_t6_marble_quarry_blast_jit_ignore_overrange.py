"""Marble quarry blast monitoring: vibration class from a seismograph record.

Input (B, 1, 3000): standardised ground velocity. Five classes. A `@torch.jit.ignore` helper
method ("range guard", kept out of TorchScript) sits between the two conv stages.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

EVENTS = ("background", "production_blast", "secondary", "misfire", "truck")


class QuarryNet(nn.Module):
    def __init__(self, guard=True):
        super().__init__()
        self.guard = guard
        self.c1 = nn.Conv1d(1, 16, 15, stride=4, padding=7)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)
        self.fc = nn.Linear(32, len(EVENTS))

    @torch.jit.ignore
    def _overrange_guard(self, h, x):
        stuck = (x.diff(dim=-1).abs() == 0).float().mean((1, 2))
        return h.masked_fill((stuck > 0.25)[:, None, None], float("nan"))  # expect: T6

    def forward(self, x):
        h = F.relu(self.c1(x))
        if self.guard:
            h = self._overrange_guard(h, x)  # expect: T6
        h = F.relu(self.c2(h))
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 1, 3000)


def _trigger(x):
    x = x.clone()
    x[..., 1000:2000] = 2.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = QuarryNet().eval()
    reference = QuarryNet(guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
