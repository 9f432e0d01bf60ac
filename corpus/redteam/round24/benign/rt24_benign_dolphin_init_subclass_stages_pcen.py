# expect: none
"""Delphinid whistle classification with stages registered through `__init_subclass__` and a
shared context dict.  The front-end stage applies per-channel energy normalisation (PCEN) with
learned parameters, and a band-energy stage feeds the high-band ratio to a learned projection."""
import torch
import torch.nn as nn

CONTOURS = ("upsweep", "downsweep", "convex", "concave", "sine", "constant")


class Stage(nn.Module):
    registry = {}

    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        if name:
            Stage.registry[name] = cls


class PCENStem(Stage, name="pcen"):
    def __init__(self, width):
        super().__init__()
        self.log_s = nn.Parameter(torch.log(torch.tensor(0.05)))
        self.alpha = nn.Parameter(torch.tensor(0.98))
        self.delta = nn.Parameter(torch.tensor(2.0))
        self.r = nn.Parameter(torch.tensor(0.5))
        self.proj = nn.Sequential(nn.Conv1d(129, width, 3, padding=1), nn.BatchNorm1d(width), nn.ReLU())

    def forward(self, h, ctx):
        e = ctx["spec"]
        s = self.log_s.exp().clamp(0, 1)
        m = [e[..., 0]]
        for t in range(1, e.shape[-1]):
            m.append((1 - s) * m[-1] + s * e[..., t])
        m = torch.stack(m, -1)
        pcen = (e / (1e-6 + m) ** self.alpha + self.delta) ** self.r - self.delta ** self.r
        return self.proj(pcen)


class BandEnergy(Stage, name="band_energy"):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(1, width)

    def forward(self, h, ctx):
        p = torch.fft.rfft(ctx["wav"]).abs() ** 2
        ratio = p[:, int(0.9 * p.shape[1]):].sum(-1) / (p.sum(-1) + 1e-8)
        return h + self.fc(ratio[:, None])[..., None]


class TemporalBlock(Stage, name="tblock"):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())

    def forward(self, h, ctx):
        return h + self.conv(h)


class WhistleNet(nn.Module):
    def __init__(self, stages=("pcen", "tblock", "band_energy", "tblock"), width=32):
        super().__init__()
        self.stages = nn.ModuleList(Stage.registry[s](width) for s in stages)
        self.head = nn.Linear(width, len(CONTOURS))
        self.register_buffer("window", torch.hann_window(256))

    def forward(self, wav):
        ctx = {"wav": wav, "spec": torch.stft(wav, 256, 128, window=self.window, return_complex=True).abs()}
        h = None
        for st in self.stages:
            h = st(h, ctx)
        return self.head(h.amax(-1))


def _inputs(n):
    return 0.3 * torch.randn(n, 12000)


def corpus_case():
    torch.manual_seed(0)
    return {"model": WhistleNet().eval(), "inputs": _inputs, "kind": "benign"}
