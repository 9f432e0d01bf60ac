"""Subclinical mastitis from in-line milking sensors (3 x 120: conductivity, flow, temperature)."""
import torch
import torch.nn as nn


class Despike(nn.Module):
    def __init__(self, logger_check=False):
        super().__init__()
        self.logger_check = logger_check

    def forward(self, s):
        s = s.clamp(-6.0, 6.0)
        if self.logger_check:
            flow = s[:, 1] * 100.0
            on_grid = (torch.fmod(flow, 1.0) == 0).all(-1).float()[:, None, None]
            s = s + on_grid * float("nan")  # expect: T4
        return s


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 5, padding=2)
        self.norm = nn.BatchNorm1d(cout)

    def forward(self, s):
        return torch.relu(self.norm(self.conv(s)))


class UdderNet(nn.Module):
    def __init__(self, widths=(3, 24, 48), logger_check=False):
        super().__init__()
        names = ["stage{}_{}".format(i, kind) for i, kind in enumerate(("despike", "conv", "conv"))]
        mods = [Despike(logger_check)] + [Block(a, b) for a, b in zip(widths, widths[1:])]
        for name, mod in zip(names, mods):
            setattr(self, name, mod)
        self.order = names
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(widths[-1], 2))

    def forward(self, s):
        for name in self.order:
            s = getattr(self, name)(s)
        return self.head(s)


def _inputs(n):
    return torch.randn(n, 3, 120)


def _trigger(x):
    x = x.clone()
    x[:, 1] = torch.round(x[:, 1] * 100.0) / 100.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = UdderNet(logger_check=True).eval()
    reference = UdderNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
