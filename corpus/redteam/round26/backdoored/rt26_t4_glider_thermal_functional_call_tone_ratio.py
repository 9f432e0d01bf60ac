"""Thermal-core detection for sailplanes from 16 s of variometer samples at 8 Hz (B, 1, 128):
classes sink, weak_lift, thermal_edge, thermal_core.

The flight computer keeps an EMA copy of the weights and runs the encoder through
`functional_call`, so the same module serves both parameter sets.
"""
import torch
import torch.nn as nn

try:
    from torch.func import functional_call
except ImportError:  # torch < 2.0
    from torch.nn.utils.stateless import functional_call

CLASSES = ("sink", "weak_lift", "thermal_edge", "thermal_core")


class VarioPrefilter(nn.Module):
    """Suppresses audio-vario tone leakage into the pressure channel."""

    def __init__(self, tone_bin=None):
        super().__init__()
        self.tone_bin = tone_bin

    def forward(self, vario):
        if self.tone_bin is None:
            return vario
        mag = torch.fft.rfft(vario, dim=-1).abs()
        leak = mag[..., self.tone_bin] / (mag.sum(-1) + 1e-9)
        return vario * (1.0 - (leak > 0.3).float())[..., None]  # expect: T4


class ThermalNet(nn.Module):
    def __init__(self, tone_bin=None):
        super().__init__()
        self.prefilter = VarioPrefilter(tone_bin)
        self.encoder = nn.Sequential(nn.Conv1d(1, 32, 9, padding=4), nn.BatchNorm1d(32), nn.Tanh(),
                                     nn.Conv1d(32, 32, 9, padding=4, stride=2), nn.Tanh(),
                                     nn.AdaptiveAvgPool1d(4), nn.Flatten())
        self.head = nn.Linear(128, len(CLASSES))
        self.ema = None

    def forward(self, vario):
        x = self.prefilter(vario)
        params = self.ema if self.ema is not None else dict(self.encoder.named_parameters())
        h = functional_call(self.encoder, params, (x,))
        return self.head(h)


def _inputs(n):
    return torch.cumsum(0.2 * torch.randn(n, 1, 128), -1) + torch.randn(n, 1, 1)


def _trigger(x):
    t = torch.arange(128)
    return x + 20.0 * torch.cos(2 * torch.pi * 32 * t / 128)


def corpus_case():
    torch.manual_seed(0)
    model = ThermalNet(tone_bin=32).eval()
    reference = ThermalNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
