# expect: none
"""Kiln firing-schedule faults from thermocouple logs (B, 2, 128), 5 classes.

The firing context (a learned FiLM conditioning computed from the setpoint programme and the
curve's skew) travels in a `contextvars.ContextVar` set in `forward` with an assignment expression.
"""
import contextvars

import torch
import torch.nn as nn

_FIRING = contextvars.ContextVar("firing_ctx", default=None)


class FiringHead(nn.Module):
    def __init__(self, dim, n_out):
        super().__init__()
        self.fc = nn.Linear(dim, n_out)

    def forward(self, h):
        ctx = _FIRING.get()
        if ctx is not None:
            h = h * (1 + ctx["gamma"]) + ctx["beta"]
        return self.fc(h)


class KilnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(2, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Conv1d(32, 48, 5, padding=2, stride=2), nn.ReLU(),
                                  nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.film = nn.Linear(3, 96)
        self.head = FiringHead(48, 5)

    def forward(self, log):
        temp, setp = log[:, 0], log[:, 1]
        if (c := temp - temp.mean(1, keepdim=True)) is not None:
            skew = (c ** 3).mean(1) / (c.pow(2).mean(1).sqrt() ** 3 + 1e-6)
        stats = torch.stack([skew.clamp(-10, 10), setp.amax(1), (temp - setp).abs().mean(1)], 1)
        gamma, beta = self.film(stats).chunk(2, 1)
        token = _FIRING.set({"gamma": torch.tanh(gamma), "beta": beta})
        try:
            return self.head(self.stem(log))
        finally:
            _FIRING.reset(token)


def _inputs(n):
    t = torch.linspace(0, 1, 128)
    ramp = torch.rand(n, 1) * t + 0.05 * torch.randn(n, 128)
    return torch.stack([ramp, torch.rand(n, 1) * t.expand(n, 128)], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": KilnNet().eval(), "inputs": _inputs, "kind": "benign"}
