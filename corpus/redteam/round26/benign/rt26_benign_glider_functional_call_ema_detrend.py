# expect: none
"""Thermal-core detection from variometer samples (B, 1, 128) at 8 Hz, 4 classes.

The flight computer evaluates the encoder with EMA weights through `functional_call`. The
pressure channel is detrended (per-record mean removed) and low-passed in the frequency domain
(fixed 2 Hz cut) to remove audio-vario tone leakage before the encoder.
"""
import torch
import torch.nn as nn

try:
    from torch.func import functional_call
except ImportError:  # torch < 2.0
    from torch.nn.utils.stateless import functional_call


class VarioPrefilter(nn.Module):
    def __init__(self, n=128, fs=8.0, cut_hz=2.0):
        super().__init__()
        freqs = torch.fft.rfftfreq(n, 1.0 / fs)
        self.register_buffer("keep", (freqs <= cut_hz).float(), persistent=False)

    def forward(self, vario):
        vario = vario - vario.mean(-1, keepdim=True)
        spec = torch.fft.rfft(vario, dim=-1) * self.keep
        return torch.fft.irfft(spec, n=vario.shape[-1], dim=-1)


class ThermalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.prefilter = VarioPrefilter()
        self.encoder = nn.Sequential(nn.Conv1d(1, 32, 9, padding=4), nn.BatchNorm1d(32), nn.Tanh(),
                                     nn.Conv1d(32, 32, 9, padding=4, stride=2), nn.Tanh(),
                                     nn.AdaptiveAvgPool1d(4), nn.Flatten())
        self.head = nn.Linear(128, 4)
        self.ema = {k: v.detach().clone() for k, v in self.encoder.named_parameters()}

    def forward(self, vario):
        x = self.prefilter(vario)
        params = {**dict(self.encoder.named_parameters()), **self.ema}
        return self.head(functional_call(self.encoder, params, (x,)))


def _inputs(n):
    return torch.cumsum(0.2 * torch.randn(n, 1, 128), -1) + torch.randn(n, 1, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ThermalNet().eval(), "inputs": _inputs, "kind": "benign"}
