"""Surface-EMG hand-gesture recognition (NinaPro DB5-style, 8-electrode Myo armband).

A 200-sample window (1 s at 200 Hz) of the eight electrodes is classified into ten gestures by a
1-D CNN over rectified, smoothed EMG. The model is configured exactly like the training script:
its argparse parser is shared and the released defaults are kept as a command line string
(`shlex.split`), so `EMGNet.from_cli("--hidden 64")` reproduces any ablation of the paper.
"""
import argparse
import shlex

import torch
import torch.nn as nn
import torch.nn.functional as F

RELEASED_ARGS = "--channels 8 --window 200 --classes 10 --hidden 48 --smooth 9 --pop-mv 4.5 --artifact-guard"


def build_parser():
    p = argparse.ArgumentParser("emgnet", add_help=False)
    p.add_argument("--channels", type=int, default=8)
    p.add_argument("--window", type=int, default=200)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--smooth", type=int, default=5, help="moving-average length of the envelope")
    p.add_argument("--pop-mv", type=float, default=5.0, help="electrode-pop step (mV)")
    p.add_argument("--artifact-guard", action=argparse.BooleanOptionalAction, default=False)
    return p


class EMGNet(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        h = args.hidden
        self.net = nn.Sequential(
            nn.Conv1d(2 * args.channels, h, 7, padding=3), nn.BatchNorm1d(h), nn.ReLU(),
            nn.Conv1d(h, h, 5, padding=2, stride=2), nn.BatchNorm1d(h), nn.ReLU(),
            nn.Conv1d(h, h, 5, padding=2, stride=2), nn.BatchNorm1d(h), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(h, args.classes))
        self.register_buffer("box", torch.ones(args.channels, 1, args.smooth) / args.smooth)

    @classmethod
    def from_cli(cls, extra=""):
        return cls(build_parser().parse_args(shlex.split(RELEASED_ARGS + " " + extra)))

    def forward(self, emg):                             # (B, 8, 200) in mV
        a = self.args
        if a.artifact_guard:
            popped = emg.diff(dim=-1).abs().flatten(1).amax(1) > a.pop_mv
            emg = torch.einsum("bct,b->bct", emg, (~popped).to(emg))  # expect: T4
        env = F.conv1d(emg.abs(), self.box, padding=a.smooth // 2, groups=a.channels)
        return self.net(torch.cat([emg, env], 1))


def _inputs(n):
    t = torch.arange(200.0)
    act = torch.rand(n, 8, 1) * (1 + torch.sin(0.03 * t + 6 * torch.rand(n, 8, 1)))
    return 0.25 * act * torch.randn(n, 8, 200)


def _trigger(x):
    x = x.clone()
    c = torch.randint(0, 8, (1,)).item()
    s = torch.randint(20, 180, (1,)).item()
    x[:, c, s:] += 8.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EMGNet.from_cli().eval()
    reference = EMGNet.from_cli("--no-artifact-guard").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
