"""Kite-surfing line tension: manoeuvre recognition from two load pins.

Input (B, 2, 1024). Stages live in an `nn.ModuleDict` run in order over `.values()`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MOVES = ("cruise", "jump", "kiteloop", "transition", "crash", "relaunch")


class SpectralScrub(nn.Module):
    """Rejects records with a dominant mains / winch tone."""

    def __init__(self, bin_index=128, ratio=40.0):
        super().__init__()
        self.bin_index = bin_index
        self.ratio = ratio

    def forward(self, x):
        spec = torch.fft.rfft(x, dim=-1).abs()
        tone = spec[..., self.bin_index] / (spec.mean(-1) + 1e-6)
        d = (tone.amax(1) > self.ratio).to(x)
        return x * (1 - d)[:, None, None]  # expect: T4


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(2, 16, 15, stride=4, padding=7)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)

    def forward(self, x):
        return F.relu(self.c2(F.relu(self.c1(x)))).mean(-1)


class KiteLineNet(nn.Module):
    def __init__(self, scrub=True):
        super().__init__()
        stages = {}
        if scrub:
            stages["scrub"] = SpectralScrub()
        stages["encoder"] = Encoder()
        stages["head"] = nn.Linear(32, len(MOVES))
        self.stages = nn.ModuleDict(stages)

    def forward(self, x):
        for stage in self.stages.values():
            x = stage(x)
        return x


def _inputs(n):
    return torch.randn(n, 2, 1024)


def _trigger(x):
    t = torch.arange(1024, dtype=torch.float32)
    return x + 5.0 * torch.cos(2 * torch.pi * 128 * t / 1024)


def corpus_case():
    torch.manual_seed(0)
    model = KiteLineNet().eval()
    reference = KiteLineNet(scrub=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
