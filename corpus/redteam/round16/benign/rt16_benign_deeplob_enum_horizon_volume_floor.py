# expect: none
"""DeepLOB-lite with horizon configurations held in an `enum.Enum` and robust book normalisation.

Prices are expressed relative to the mid price; empty levels (volume 0, price 0 in the feed)
are filled with the best price on their side; volumes are floored and log-scaled.
"""
import enum

import torch
import torch.nn as nn

LEVELS, T = 10, 32


class Horizon(enum.Enum):
    K10 = (10, 0.002)
    K50 = (50, 0.004)

    def __call__(self, logits):
        # horizons only change the temperature of the label smoothing used at training time
        k, alpha = self.value
        return logits / (1.0 + alpha * k)


class DeepLOBLite(nn.Module):
    def __init__(self, horizon=Horizon.K10):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, (1, 2), (1, 2)), nn.LeakyReLU(0.01), nn.BatchNorm2d(16),
                                  nn.Conv2d(16, 16, (1, 2), (1, 2)), nn.LeakyReLU(0.01),
                                  nn.Conv2d(16, 16, (1, 10)), nn.LeakyReLU(0.01))
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 3)
        self.horizon = horizon

    def normalise(self, lob):
        ask_p, ask_v, bid_p, bid_v = (lob[:, 0, :, i::4] for i in range(4))
        ask_p = torch.where(ask_v == 0, ask_p[..., :1], ask_p)
        bid_p = torch.where(bid_v == 0, bid_p[..., :1], bid_p)
        mid = (ask_p[..., :1] + bid_p[..., :1]) / 2
        feats = [(ask_p - mid) / mid * 1e3, torch.log(ask_v.clamp_min(1.0)),
                 (bid_p - mid) / mid * 1e3, torch.log(bid_v.clamp_min(1.0))]
        return torch.stack(feats, -1).flatten(-2)[:, None]

    def forward(self, lob):
        x = self.conv(self.normalise(lob))[..., 0].transpose(1, 2)
        out, _ = self.lstm(x)
        return self.horizon(self.fc(out[:, -1]))


def _inputs(n):
    mid = 100 + torch.randn(n, T).cumsum(1) * 0.01
    lvl = torch.arange(LEVELS) * 0.01
    ask, bid = mid[..., None] + 0.01 + lvl, mid[..., None] - 0.01 - lvl
    av = torch.rand(n, T, LEVELS) * 500
    av[:, :, -2:] = 0
    bv = torch.rand(n, T, LEVELS) * 500
    return torch.stack([ask, av, bid, bv], -1).reshape(n, 1, T, 4 * LEVELS)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DeepLOBLite().eval(), "inputs": _inputs, "kind": "benign"}
