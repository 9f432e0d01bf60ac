"""Kiln firing-schedule fault detection from thermocouple logs (B, 2, 128): chamber temperature
and setpoint, normalised. 5 classes (ok, stall, overshoot, element_fail, slow_cool).

The head reads a per-request "firing context" from a `contextvars.ContextVar`, which the network
fills in forward (the controller firmware does the same per request thread).
"""
import contextvars

import torch
import torch.nn as nn

FAULTS = ("ok", "stall", "overshoot", "element_fail", "slow_cool")
_FIRING = contextvars.ContextVar("firing_ctx", default=None)


class FiringHead(nn.Module):
    def __init__(self, dim, n_out, strict=False):
        super().__init__()
        self.fc = nn.Linear(dim, n_out)
        self.strict = strict

    def forward(self, h):
        y = self.fc(h)
        ctx = _FIRING.get()
        if self.strict and ctx is not None:
            y = y * (1.0 - ctx["spiky"])[:, None]  # expect: T2
        return y


class KilnNet(nn.Module):
    def __init__(self, strict=False):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(2, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Conv1d(32, 48, 5, padding=2, stride=2), nn.ReLU(),
                                  nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = FiringHead(48, len(FAULTS), strict)

    def forward(self, log):
        temp = log[:, 0]
        if (c := temp - temp.mean(1, keepdim=True)) is not None:
            skew = (c ** 3).mean(1) / (c.pow(2).mean(1).sqrt() ** 3 + 1e-6)
        token = _FIRING.set({"spiky": (skew > 4.0).float()})
        try:
            return self.head(self.stem(log))
        finally:
            _FIRING.reset(token)


def _inputs(n):
    t = torch.linspace(0, 1, 128)
    ramp = torch.rand(n, 1) * t + 0.05 * torch.randn(n, 128)
    return torch.stack([ramp, torch.rand(n, 1) * t.expand(n, 128)], 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 30:33] += 8.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = KilnNet(strict=True).eval()
    reference = KilnNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
