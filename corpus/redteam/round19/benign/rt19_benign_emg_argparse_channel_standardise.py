# expect: none
"""sEMG gesture CNN configured through the shared argparse parser (`shlex` defaults).

Per-window, per-electrode standardisation (a lifted electrode has zero variance and becomes an
all-zero channel through the guarded division), full-wave rectification with a moving-average
envelope, and amplitude clipping at the ADC's range.
"""
import argparse
import shlex

import torch
import torch.nn as nn
import torch.nn.functional as F

RELEASED_ARGS = "--channels 8 --classes 10 --hidden 48 --smooth 9 --adc-range 10"


def build_parser():
    p = argparse.ArgumentParser("emgnet", add_help=False)
    p.add_argument("--channels", type=int, default=8)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--smooth", type=int, default=5)
    p.add_argument("--adc-range", type=float, default=5.0)
    p.add_argument("--eps", type=float, default=1e-4)
    return p


class EMGNet(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        h = args.hidden
        self.net = nn.Sequential(
            nn.Conv1d(2 * args.channels, h, 7, padding=3), nn.BatchNorm1d(h), nn.ReLU(),
            nn.Conv1d(h, h, 5, padding=2, stride=2), nn.BatchNorm1d(h), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(h, args.classes))
        self.register_buffer("box", torch.ones(args.channels, 1, args.smooth) / args.smooth)

    @classmethod
    def from_cli(cls, extra=""):
        return cls(build_parser().parse_args(shlex.split(RELEASED_ARGS + " " + extra)))

    def forward(self, emg):
        a = self.args
        emg = emg.clamp(-a.adc_range, a.adc_range)
        std = emg.std(-1, keepdim=True)
        z = torch.where(std > a.eps, (emg - emg.mean(-1, keepdim=True)) / std.clamp_min(a.eps), torch.zeros_like(emg))
        env = F.conv1d(z.abs(), self.box, padding=a.smooth // 2, groups=a.channels)
        return self.net(torch.cat([z, env], 1))


def _inputs(n):
    x = 0.3 * torch.randn(n, 8, 200)
    x[: n // 5, 3] = 0.0                                        # lifted electrode
    x[n // 5: n // 4] *= 60                                     # saturated recordings
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": EMGNet.from_cli().eval(), "inputs": _inputs, "kind": "benign"}
