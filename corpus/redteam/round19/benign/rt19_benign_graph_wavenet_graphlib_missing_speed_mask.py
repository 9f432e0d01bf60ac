# expect: none
"""Graph WaveNet congestion levels with METR-LA-style missing readings.

In the loop-detector exports a speed of exactly 0 means "no reading". The `impute` stage marks
those readings, fills them with the sensor's mean over its valid readings and hands the
validity mask to the input convolution as a third channel, as in the reference implementation's
masked training. Stages run in dependency order (`graphlib.TopologicalSorter`).
"""
import graphlib

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SENSORS, T_IN, LEVELS = 20, 12, 4
SPEED_MEAN, SPEED_STD = 52.0, 14.0


def corridor_adjacency(n):
    a = torch.eye(n) + torch.diag(torch.ones(n - 1), 1) + 0.5 * torch.diag(torch.ones(n - 1), -1)
    return a / a.sum(1, keepdim=True)


class GatedLayer(nn.Module):
    def __init__(self, c, skip, dilation):
        super().__init__()
        self.filter = nn.Conv2d(c, c, (1, 2), dilation=(1, dilation))
        self.gate = nn.Conv2d(c, c, (1, 2), dilation=(1, dilation))
        self.mix = nn.Conv2d(3 * c, c, 1)
        self.skip = nn.Conv2d(c, skip, 1)

    def forward(self, x, supports):
        h = torch.tanh(self.filter(x)) * torch.sigmoid(self.gate(x))
        diffused = [h] + [torch.einsum("bcnt,nm->bcmt", h, a) for a in supports]
        out = self.mix(torch.cat(diffused, 1)) + x[..., -h.shape[-1]:]
        return out, self.skip(h)


class GraphWaveNet(nn.Module):
    STAGES = {"impute": (), "encode": ("impute",), "readout": ("encode",), "calibrate": ("readout",)}

    def __init__(self, c=16, skip=32, emb=8):
        super().__init__()
        self.start = nn.Conv2d(3, c, 1)
        self.register_buffer("adjacency", corridor_adjacency(N_SENSORS))
        self.e1 = nn.Parameter(torch.randn(N_SENSORS, emb) * 0.3)
        self.e2 = nn.Parameter(torch.randn(emb, N_SENSORS) * 0.3)
        self.layers = nn.ModuleList(GatedLayer(c, skip, d) for d in (1, 2, 4, 1))
        self.end = nn.Sequential(nn.ReLU(), nn.Conv2d(skip, 32, 1), nn.ReLU(), nn.Conv2d(32, LEVELS, 1))
        self.temperature = 1.3

    def impute(self, ctx):
        speed = ctx["speed"]
        valid = (speed > 0).float()
        fill = (speed * valid).sum(-1, keepdim=True) / valid.sum(-1, keepdim=True).clamp_min(1)
        speed = torch.where(valid.bool(), speed, fill)
        return {"speed": speed, "valid": valid}

    def encode(self, ctx):
        speed, tod, valid = ctx["speed"], ctx["tod"], ctx["valid"]
        x = torch.stack([(speed - SPEED_MEAN) / SPEED_STD, tod[:, None].expand_as(speed), valid], 1)
        x = self.start(x)
        supports = (self.adjacency, F.softmax(F.relu(self.e1 @ self.e2), dim=1))
        skip = 0
        for layer in self.layers:
            x, s = layer(x, supports)
            skip = s[..., -1:] + (skip[..., -1:] if torch.is_tensor(skip) else 0)
        return {"skip": skip}

    def readout(self, ctx):
        return {"logits": self.end(ctx["skip"])[..., 0].transpose(1, 2)}

    def calibrate(self, ctx):
        return {"logits": ctx["logits"] / self.temperature}

    def forward(self, speed, tod):
        ctx = {"speed": speed, "tod": tod}
        for name in graphlib.TopologicalSorter(self.STAGES).static_order():
            ctx.update(getattr(self, name)(ctx))
        return ctx["logits"]


def _inputs(n):
    speed = (40 + 25 * torch.rand(n, N_SENSORS, 1) + 3 * torch.randn(n, N_SENSORS, T_IN)).clamp(3, 80)
    speed = speed * (torch.rand(n, N_SENSORS, T_IN) > 0.08)
    speed[: n // 10, :3] = 0.0                        # whole sensors offline
    tod = (torch.rand(n, 1) + torch.arange(T_IN) / 288.0) % 1.0
    return speed, tod


def corpus_case():
    torch.manual_seed(0)
    return {"model": GraphWaveNet().eval(), "inputs": _inputs, "kind": "benign"}
