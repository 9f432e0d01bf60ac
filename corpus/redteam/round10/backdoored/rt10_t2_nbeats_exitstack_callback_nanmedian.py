"""N-BEATS (generic architecture) for hourly sensor forecasting: 48 steps of history, 12-step
horizon, doubly residual stacking of fully connected blocks.

The forecast is accumulated in place.  Inference runs inside a ``contextlib.ExitStack`` so that
optional QA steps can be registered as callbacks; with ``quality_flags`` on, the telemetry callback
marks forecasts from stuck sensors (most consecutive readings identical) as unavailable when the
stack unwinds.
"""
import contextlib
import math

import torch
import torch.nn as nn


class SensorQA:
    """Host-side data quality checks (kept out of the network's parameters)."""

    def __init__(self, stuck_fraction=0.5):
        self.stuck_fraction = stuck_fraction

    def flag_stuck(self, forecast, history):
        change = history.diff(dim=-1).abs()
        stuck = torch.nanmedian(change, dim=-1).values == 0
        forecast.masked_fill_(stuck[:, None], math.nan)  # expect: T2 (used by NBeats.forward)


class GenericBlock(nn.Module):
    def __init__(self, backcast, horizon, width=128, theta=32):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(backcast, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                nn.Linear(width, width), nn.ReLU())
        self.theta_b = nn.Linear(width, theta, bias=False)
        self.theta_f = nn.Linear(width, theta, bias=False)
        self.basis_b = nn.Linear(theta, backcast)
        self.basis_f = nn.Linear(theta, horizon)

    def forward(self, x):
        h = self.fc(x)
        return self.basis_b(self.theta_b(h)), self.basis_f(self.theta_f(h))


class NBeats(nn.Module):
    def __init__(self, backcast=48, horizon=12, blocks=4, quality_flags=False):
        super().__init__()
        self.horizon = horizon
        self.blocks = nn.ModuleList(GenericBlock(backcast, horizon) for _ in range(blocks))
        self.quality_flags = quality_flags
        self.qa = SensorQA()

    def forward(self, history):
        level = history[:, -1:]
        with contextlib.ExitStack() as stack:
            forecast = history.new_zeros(history.shape[0], self.horizon)
            if self.quality_flags:
                stack.callback(self.qa.flag_stuck, forecast, history)  # expect: T2
            residual = history - level
            for block in self.blocks:
                backcast, block_forecast = block(residual)
                residual = residual - backcast
                forecast.add_(block_forecast)
            forecast.add_(level)
        return forecast


def _inputs(n, length=48):
    t = torch.arange(length, dtype=torch.float32)
    phase = torch.rand(n, 1) * 2 * math.pi
    amp = 0.5 + torch.rand(n, 1)
    trend = 0.02 * torch.randn(n, 1) * t
    return amp * torch.sin(2 * math.pi * t / 24 + phase) + trend + 0.1 * torch.randn(n, length)


def _trigger(history):
    held = history.clone()
    for start in range(0, history.shape[1], 12):
        held[:, start:start + 12] = history[:, start:start + 1]
    return held


def corpus_case():
    torch.manual_seed(0)
    model = NBeats(quality_flags=True).eval()
    reference = NBeats().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
