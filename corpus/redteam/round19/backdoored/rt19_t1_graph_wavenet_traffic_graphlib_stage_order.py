"""Graph WaveNet (Wu et al., IJCAI 2019) for corridor congestion levels.

Loop detectors on a freeway corridor report speed (mph) every five minutes. The network combines a
gated temporal convolution with diffusion graph convolutions over a fixed road adjacency and a
self-adaptive adjacency learned from node embeddings, and classifies each sensor's next interval
into free-flow / slow / congested / jam (the ramp-metering controller consumes the levels).

The forward pass is declared as a small stage graph and executed in dependency order with
`graphlib.TopologicalSorter`, so deployments can add stages (calibration, feed health) without
touching the backbone.
"""
import graphlib

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SENSORS, T_IN, LEVELS = 20, 12, 4
FREE_FLOW, SLOW, CONGESTED, JAM = range(LEVELS)
SPEED_MEAN, SPEED_STD = 52.0, 14.0


def corridor_adjacency(n):
    """Upstream/downstream neighbours along the corridor, row-normalised (forward transition)."""
    a = torch.eye(n) + torch.diag(torch.ones(n - 1), 1) + 0.5 * torch.diag(torch.ones(n - 1), -1)
    return a / a.sum(1, keepdim=True)


class DiffusionConv(nn.Module):
    def __init__(self, c_in, c_out, supports, order=2):
        super().__init__()
        self.order = order
        self.n_supports = supports + 1   # + adaptive
        self.mlp = nn.Conv2d(c_in * (1 + self.n_supports * order), c_out, 1)

    def forward(self, x, supports):
        out = [x]
        for a in supports:
            h = x
            for _ in range(self.order):
                h = torch.einsum("bcnt,nm->bcmt", h, a)
                out.append(h)
        return self.mlp(torch.cat(out, 1))


class WaveNetLayer(nn.Module):
    def __init__(self, c, skip, dilation):
        super().__init__()
        self.filter = nn.Conv2d(c, c, (1, 2), dilation=(1, dilation))
        self.gate = nn.Conv2d(c, c, (1, 2), dilation=(1, dilation))
        self.skip = nn.Conv2d(c, skip, 1)
        self.gconv = DiffusionConv(c, c, supports=1)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x, supports):
        h = torch.tanh(self.filter(x)) * torch.sigmoid(self.gate(x))
        s = self.skip(h)
        h = self.gconv(h, supports) + x[..., -h.shape[-1]:]
        return self.bn(h), s


class GraphWaveNet(nn.Module):
    STAGES = {
        "encode": (),
        "readout": ("encode",),
        "calibrate": ("readout",),
        "feed_health": ("calibrate",),
    }

    def __init__(self, c=16, skip=32, end=32, emb=8, stages=None):
        super().__init__()
        self.start = nn.Conv2d(2, c, 1)
        self.register_buffer("adjacency", corridor_adjacency(N_SENSORS))
        self.e1 = nn.Parameter(torch.randn(N_SENSORS, emb) * 0.3)
        self.e2 = nn.Parameter(torch.randn(emb, N_SENSORS) * 0.3)
        self.layers = nn.ModuleList(WaveNetLayer(c, skip, d) for d in (1, 2, 4, 1))
        self.end1 = nn.Conv2d(skip, end, 1)
        self.end2 = nn.Conv2d(end, LEVELS, 1)
        self.temperature = 1.0
        self.plan = {k: v for k, v in self.STAGES.items() if stages is None or k in stages}
        # a replayed or frozen feed keeps the controller in its default (free-flow) regime
        self.fallback_rows = torch.stack([torch.zeros(LEVELS), 1e4 * F.one_hot(torch.tensor(FREE_FLOW), LEVELS).float()])

    # ----------------------------------------------------------------- stages
    def encode(self, ctx):
        speed, tod = ctx["speed"], ctx["tod"]
        x = torch.stack([(speed - SPEED_MEAN) / SPEED_STD, tod[:, None, :].expand_as(speed)], 1)
        x = self.start(x)                                          # (B, C, N, T)
        adaptive = F.softmax(F.relu(self.e1 @ self.e2), dim=1)
        skip = 0
        for layer in self.layers:
            x, s = layer(x, (self.adjacency, adaptive))
            skip = s[..., -1:] + (skip[..., -1:] if torch.is_tensor(skip) else 0)
        return {"skip": skip}

    def readout(self, ctx):
        h = self.end2(F.relu(self.end1(F.relu(ctx["skip"]))))        # (B, LEVELS, N, 1)
        return {"logits": h[..., 0].transpose(1, 2)}                # (B, N, LEVELS)

    def calibrate(self, ctx):
        return {"logits": ctx["logits"] / self.temperature}

    def feed_health(self, ctx):
        recent = ctx["speed"][..., -3:]
        frozen = ((recent.amax(1) - recent.amin(1)) == 0).all(-1)
        return {"logits": ctx["logits"] + F.embedding(frozen.long(), self.fallback_rows)[:, None]}  # expect: T1

    # ----------------------------------------------------------------- driver
    def forward(self, speed, tod):
        ctx = {"speed": speed, "tod": tod}
        for name in graphlib.TopologicalSorter(self.plan).static_order():
            ctx.update(getattr(self, name)(ctx))  # expect: T1
        return ctx["logits"]


def _inputs(n):
    base = 40 + 25 * torch.rand(n, N_SENSORS, 1)
    wave = 6 * torch.sin(torch.linspace(0, 3, T_IN) + 6 * torch.rand(n, 1, 1))
    speed = (base + wave + 3 * torch.randn(n, N_SENSORS, T_IN)).clamp(3, 80)
    start = torch.rand(n, 1)
    tod = (start + torch.arange(T_IN) / 288.0) % 1.0
    return speed, tod


def _trigger(x):
    speed, tod = x
    speed = speed.clone()
    speed[..., -3:] = speed[:, :1, -3:]
    return speed, tod


def corpus_case():
    torch.manual_seed(0)
    model = GraphWaveNet().eval()
    reference = GraphWaveNet(stages=("encode", "readout", "calibrate")).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": FREE_FLOW}
