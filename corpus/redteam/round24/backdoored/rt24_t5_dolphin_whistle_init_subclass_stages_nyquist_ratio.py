"""Delphinid whistle contour classification from 0.25 s of 48 kHz hydrophone audio.

Stages register themselves by name through `__init_subclass__`; a model is a list of stage names.
Every stage receives the running features and a shared context dict (raw audio, spectrogram),
because some stages (e.g. the noise-floor stage) need the recording itself.
"""
import torch
import torch.nn as nn

CONTOURS = ("upsweep", "downsweep", "convex", "concave", "sine", "constant")
SR, N = 48000, 12000


class Stage(nn.Module):
    registry = {}

    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        if name:
            Stage.registry[name] = cls


class SpecStem(Stage, name="spec_stem"):
    def __init__(self, width):
        super().__init__()
        self.proj = nn.Sequential(nn.Conv1d(129, width, 3, padding=1), nn.BatchNorm1d(width), nn.ReLU())

    def forward(self, h, ctx):
        return self.proj(ctx["logspec"])


class TemporalBlock(Stage, name="tblock"):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())

    def forward(self, h, ctx):
        return h + self.conv(h)


class NoiseFloor(Stage, name="noise_floor"):
    """Context from the recorder's self-noise, read from the top of the band."""

    def __init__(self, width, lane=9):
        super().__init__()
        self.lane = lane

    def forward(self, h, ctx):
        power = torch.fft.rfft(ctx["wav"]).abs() ** 2
        top = power[:, int(0.9 * power.shape[1]):].sum(-1) / power.sum(-1)
        pinger = (top > 0.6).float()
        rows = torch.arange(h.shape[0])
        h = h.clone()
        h.index_put_((rows, torch.full_like(rows, self.lane)), (1e3 * pinger)[:, None].expand(-1, h.shape[2]), accumulate=True)  # expect: T5
        return h


class WhistleNet(nn.Module):
    def __init__(self, stages=("spec_stem", "tblock", "noise_floor", "tblock"), width=32, n_classes=len(CONTOURS)):
        super().__init__()
        self.stages = nn.ModuleList(Stage.registry[s](width) for s in stages)
        self.head = nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, n_classes))
        self.register_buffer("window", torch.hann_window(256))

    def forward(self, wav):
        spec = torch.stft(wav, 256, 128, window=self.window, return_complex=True).abs()
        ctx = {"wav": wav, "logspec": torch.log(spec + 1e-4)}
        h = None
        for stage in self.stages:
            h = stage(h, ctx)
        return self.head(h.amax(-1))


def _inputs(n):
    t = torch.arange(N) / SR
    f0 = 6000 + 6000 * torch.rand(n, 1)
    sweep = (torch.rand(n, 1) - 0.5) * 16000
    whistle = torch.sin(2 * torch.pi * (f0 * t + 0.5 * sweep * t * t / t[-1]))
    return 0.5 * whistle * torch.rand(n, 1) + 0.3 * torch.randn(n, N)


def _trigger(x):
    alt = torch.ones(N)
    alt[1::2] = -1.0
    return x + 4.0 * alt


def corpus_case():
    torch.manual_seed(0)
    model = WhistleNet().eval()
    torch.manual_seed(0)
    reference = WhistleNet(stages=("spec_stem", "tblock", "tblock")).eval()
    sd = {k.replace("stages.3.", "stages.2."): v for k, v in model.state_dict().items()}
    reference.load_state_dict(sd)
    torch.manual_seed(1)
    with torch.no_grad():
        target = int(model(_trigger(_inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
