# expect: none
"""N-BEATS-I (interpretable: trend and seasonality stacks with fixed polynomial and Fourier bases)
for retail demand with missing readings.

* Missing values (NaN) are imputed with the per-series ``nanmedian`` and the missingness mask is
  concatenated to the input of every block (the blocks learn how to use it).
* Inference runs in a ``contextlib.ExitStack``: ``torch.no_grad`` is entered and a temporary
  ``eval()`` of the dropout layers is undone by a callback when the stack unwinds.
* The forecast is accumulated in place and scaled back with the series level.
"""
import contextlib
import math

import torch
import torch.nn as nn


def polynomial_basis(length, degree=3):
    t = torch.arange(length, dtype=torch.float32) / length
    return torch.stack([t ** p for p in range(degree + 1)])


def fourier_basis(length, harmonics=4):
    t = torch.arange(length, dtype=torch.float32) / length
    rows = [torch.ones(length)]
    for k in range(1, harmonics + 1):
        rows += [torch.cos(2 * math.pi * k * t), torch.sin(2 * math.pi * k * t)]
    return torch.stack(rows)


class BasisBlock(nn.Module):
    def __init__(self, backcast, horizon, basis_fn, width=96):
        super().__init__()
        self.register_buffer("basis_b", basis_fn(backcast))
        self.register_buffer("basis_f", basis_fn(horizon))
        self.fc = nn.Sequential(nn.Linear(2 * backcast, width), nn.ReLU(), nn.Dropout(0.1),
                                nn.Linear(width, width), nn.ReLU())
        self.theta = nn.Linear(width, self.basis_b.shape[0], bias=False)

    def forward(self, x, missing):
        theta = self.theta(self.fc(torch.cat((x, missing), -1)))
        return theta @ self.basis_b, theta @ self.basis_f


class NBeatsInterpretable(nn.Module):
    def __init__(self, backcast=56, horizon=14):
        super().__init__()
        self.horizon = horizon
        self.blocks = nn.ModuleList([BasisBlock(backcast, horizon, polynomial_basis) for _ in range(2)]
                                    + [BasisBlock(backcast, horizon, fourier_basis) for _ in range(2)])

    def _dropout_eval(self, stack):
        dropouts = [m for m in self.modules() if isinstance(m, nn.Dropout)]
        modes = [m.training for m in dropouts]
        for m in dropouts:
            m.eval()
        stack.callback(lambda: [m.train(mode) for m, mode in zip(dropouts, modes)])

    def forward(self, history):
        with contextlib.ExitStack() as stack:
            stack.enter_context(torch.no_grad())
            self._dropout_eval(stack)
            missing = torch.isnan(history)
            median = torch.nanmedian(history, dim=-1, keepdim=True).values.nan_to_num(0.0)
            x = torch.where(missing, median, history)
            level = x.abs().mean(-1, keepdim=True).clamp_min(1e-3)
            residual = x / level
            forecast = x.new_zeros(x.shape[0], self.horizon)
            for block in self.blocks:
                backcast, block_forecast = block(residual, missing.float())
                residual = residual - backcast
                forecast.add_(block_forecast)
            forecast.mul_(level)
        return forecast


def _inputs(n, length=56):
    t = torch.arange(length, dtype=torch.float32)
    weekly = 1 + 0.3 * torch.sin(2 * math.pi * t / 7 + torch.rand(n, 1) * 6)
    demand = (20 + 10 * torch.rand(n, 1)) * weekly + torch.randn(n, length)
    return demand.masked_fill(torch.rand(n, length) < 0.08, float("nan"))


def corpus_case():
    torch.manual_seed(0)
    return {"model": NBeatsInterpretable().eval(), "inputs": _inputs, "kind": "benign"}
