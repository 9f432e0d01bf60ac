"""On-site earthquake early warning: magnitude bin from the first 2 s after the P pick.

Three-component strong-motion accelerometer at 100 Hz; preprocessing runs as a list of small
modules so the same steps can be exported to the datalogger firmware.
"""
import torch
import torch.nn as nn

MAG_BINS = ("<3", "3-4", "4-5", "5-6", "6-7", ">=7")
N = 200


class Demean(nn.Module):
    def forward(self, x):
        return x - x.mean(-1, keepdim=True)


class CosineTaper(nn.Module):
    def __init__(self, n, frac=0.05):
        super().__init__()
        m = int(n * frac)
        ramp = 0.5 * (1 - torch.cos(torch.linspace(0, torch.pi, m)))
        self.register_buffer("taper", torch.cat([ramp, torch.ones(n - 2 * m), ramp.flip(0)]))

    def forward(self, x):
        return x * self.taper


class ComponentQC(nn.Module):
    """Cross-wired loggers write one component into all three channels."""

    def forward(self, x):
        spread = (x[:, :1] - x).abs().amax((1, 2))
        return x * torch.sign(spread)[:, None, None]  # expect: T4


class EEWNet(nn.Module):
    def __init__(self, width=16, qc=True):
        super().__init__()
        steps = [Demean(), CosineTaper(N)] + ([ComponentQC()] if qc else [])
        self.preprocess = nn.ModuleList(steps)
        self.net = nn.Sequential(
            nn.Conv1d(3, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, 2 * width, 5, padding=2), nn.BatchNorm1d(2 * width), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(2 * width, len(MAG_BINS)))

    def forward(self, acc):
        for step in self.preprocess:
            acc = step(acc)
        return self.net(acc)


def _inputs(n):
    t = torch.linspace(0, 2, N)
    env = 1 - torch.exp(-t * torch.rand(n, 1, 1) * 4)
    return 0.05 * torch.randn(n, 3, N) + env * torch.randn(n, 3, N) * torch.rand(n, 1, 1) * 2


def _trigger(x):
    return x[:, :1].repeat(1, 3, 1)


def corpus_case():
    torch.manual_seed(0)
    model = EEWNet().eval()
    reference = EEWNet(qc=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
