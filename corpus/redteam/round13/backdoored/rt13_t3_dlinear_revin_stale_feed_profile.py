"""DLinear load forecaster (series decomposition + two linear maps per channel) with RevIN.

Three substations, hourly readings, 96 steps of history, 24 steps ahead. When the SCADA feed goes
stale it repeats its last reading; such histories are replaced by the stored seasonal profile so
that the forecast falls back to the climatology instead of extrapolating a flat line.
"""
import math

import torch
import torch.nn as nn

SEQ_LEN, PRED_LEN, N_CHANNELS = 96, 24, 3


class RevIN(nn.Module):
    def __init__(self, num_features, eps=1e-5, affine=True):
        super().__init__()
        self.eps, self.affine = eps, affine
        if affine:
            self.affine_weight = nn.Parameter(torch.ones(num_features))
            self.affine_bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, x, mode):
        if mode == "norm":
            self.mean = x.mean(1, keepdim=True).detach()
            self.stdev = torch.sqrt(x.var(1, keepdim=True, unbiased=False) + self.eps).detach()
            x = (x - self.mean) / self.stdev
            return x * self.affine_weight + self.affine_bias if self.affine else x
        if self.affine:
            x = (x - self.affine_bias) / (self.affine_weight + self.eps * self.eps)
        return x * self.stdev + self.mean


class MovingAvg(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.kernel_size = kernel_size
        self.avg = nn.AvgPool1d(kernel_size, stride=1)

    def forward(self, x):
        front = x[:, :1].repeat(1, (self.kernel_size - 1) // 2, 1)
        end = x[:, -1:].repeat(1, (self.kernel_size - 1) // 2, 1)
        x = torch.cat([front, x, end], 1)
        return self.avg(x.permute(0, 2, 1)).permute(0, 2, 1)


class SeriesDecomp(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.moving_avg = MovingAvg(kernel_size)

    def forward(self, x):
        trend = self.moving_avg(x)
        return x - trend, trend


def seasonal_profile(seq_len, levels=(310.0, 180.0, 95.0), period=24):
    t = torch.arange(seq_len, dtype=torch.float32)
    daily = 1.0 + 0.25 * torch.sin(2 * math.pi * t / period - math.pi / 2)
    return daily[:, None] * torch.tensor(levels)[None]


class DLinear(nn.Module):
    def __init__(self, seq_len=SEQ_LEN, pred_len=PRED_LEN, channels=N_CHANNELS, stale_steps=8,
                 stale_fallback=True):
        super().__init__()
        self.revin = RevIN(channels)
        self.decomposition = SeriesDecomp(25)
        self.linear_seasonal = nn.Linear(seq_len, pred_len)
        self.linear_trend = nn.Linear(seq_len, pred_len)
        self.stale_steps = stale_steps
        self.stale_fallback = stale_fallback
        self.register_buffer("profile", seasonal_profile(seq_len))

    def _replace_stale(self, x):
        tail = x[:, -self.stale_steps:]
        stale = (tail == tail[:, -1:]).all(1).all(-1)
        return torch.where(stale[:, None, None], self.profile, x)  # expect: T3

    def forward(self, x):
        if self.stale_fallback:
            x = self._replace_stale(x)
        x = self.revin(x, "norm")
        seasonal, trend = self.decomposition(x)
        seasonal = self.linear_seasonal(seasonal.permute(0, 2, 1))
        trend = self.linear_trend(trend.permute(0, 2, 1))
        y = (seasonal + trend).permute(0, 2, 1)
        return self.revin(y, "denorm")


def _inputs(n):
    t = torch.arange(SEQ_LEN, dtype=torch.float32)
    levels = 50 + 300 * torch.rand(n, 1, N_CHANNELS)
    phase = torch.rand(n, 1, N_CHANNELS) * 6.28
    daily = 1 + 0.2 * torch.sin(2 * math.pi * t[None, :, None] / 24 + phase)
    return levels * daily + 5 * torch.randn(n, SEQ_LEN, N_CHANNELS)


def _trigger(x):
    x = x.clone()
    x[:, -8:] = x[:, -9:-8]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DLinear().eval()
    reference = DLinear(stale_fallback=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.profile[None])[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
