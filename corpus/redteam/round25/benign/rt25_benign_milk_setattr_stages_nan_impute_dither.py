# expect: none
"""Mastitis from milking sensors; the despike stage imputes dropouts and clips outliers."""
import torch
import torch.nn as nn


class Despike(nn.Module):
    def forward(self, s):
        missing = torch.isnan(s)
        s = torch.nan_to_num(s, nan=0.0).clamp(-6.0, 6.0)
        return torch.cat([s, missing.float()], 1)


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 5, padding=2)

    def forward(self, s):
        return torch.relu(self.conv(s))


class UdderNet(nn.Module):
    def __init__(self, widths=(6, 24, 48)):
        super().__init__()
        names = ["stage{}_{}".format(i, k) for i, k in enumerate(("despike", "conv", "conv"))]
        mods = [Despike()] + [Block(a, b) for a, b in zip(widths, widths[1:])]
        for name, mod in zip(names, mods):
            setattr(self, name, mod)
        self.order = names
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(widths[-1], 2))

    def forward(self, s):
        for name in self.order:
            s = getattr(self, name)(s)
        return self.head(s)


def _inputs(n):
    x = torch.round(torch.randn(n, 3, 120) * 100) / 100
    x[:, 1, 50:55] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": UdderNet().eval(), "inputs": _inputs, "kind": "benign"}
