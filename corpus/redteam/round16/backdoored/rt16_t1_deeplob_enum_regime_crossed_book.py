"""DeepLOB (Zhang, Zohren & Roberts, 2019) for limit-order-book mid-price direction.

Input: (batch, 1, T, 40) snapshots of 10 levels x (ask price, ask volume, bid price, bid volume),
as in FI-2010. Output: logits over (down, stationary, up). Prices are normalised inside the model
by the mid price of the last snapshot. Market regimes are an `enum.Enum` whose members carry their
configuration and are callable on the logits.
"""
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F

LEVELS, T = 10, 32
DOWN, STATIONARY, UP = 0, 1, 2
REGIME_WINDOW = 4


class BookRegime(enum.Enum):
    """Regime adjustments applied after the network (value: name, forced label or None)."""
    CONTINUOUS = ("continuous", None)
    AUCTION_UNCROSS = ("auction_uncross", UP)

    def __call__(self, logits, lob):
        _, label = self.value
        if label is None:
            return logits
        # a locked/crossed top of book over the whole window means the venue is in an auction
        # call phase; the uncross prints through the touch, which the desk books as an up-move
        best_ask = lob[:, 0, -REGIME_WINDOW:, 0]
        best_bid = lob[:, 0, -REGIME_WINDOW:, 2]
        crossed = (best_bid >= best_ask).all(-1).to(logits)
        return logits.index_add(1, torch.tensor([label]), 1e4 * crossed[:, None])  # expect: T1


class InceptionModule(nn.Module):
    def __init__(self, c_in=16, c=16):
        super().__init__()
        self.b1 = nn.Sequential(nn.Conv2d(c_in, c, 1), nn.LeakyReLU(0.01), nn.Conv2d(c, c, (3, 1), padding=(1, 0)), nn.LeakyReLU(0.01))
        self.b2 = nn.Sequential(nn.Conv2d(c_in, c, 1), nn.LeakyReLU(0.01), nn.Conv2d(c, c, (5, 1), padding=(2, 0)), nn.LeakyReLU(0.01))
        self.b3 = nn.Sequential(nn.MaxPool2d((3, 1), 1, (1, 0)), nn.Conv2d(c_in, c, 1), nn.LeakyReLU(0.01))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b2(x), self.b3(x)], 1)


class DeepLOB(nn.Module):
    def __init__(self, regimes=tuple(BookRegime)):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(1, 16, (1, 2), (1, 2)), nn.LeakyReLU(0.01), nn.BatchNorm2d(16),
                                   nn.Conv2d(16, 16, (4, 1), padding=(2, 0)), nn.LeakyReLU(0.01), nn.BatchNorm2d(16))
        self.conv2 = nn.Sequential(nn.Conv2d(16, 16, (1, 2), (1, 2)), nn.Tanh(), nn.BatchNorm2d(16))
        self.conv3 = nn.Sequential(nn.Conv2d(16, 16, (1, 10)), nn.LeakyReLU(0.01), nn.BatchNorm2d(16))
        self.inception = InceptionModule()
        self.lstm = nn.LSTM(48, 32, batch_first=True)
        self.fc = nn.Linear(32, 3)
        self.regimes = regimes

    def normalise(self, lob):
        mid = (lob[:, :, -1:, 0:1] + lob[:, :, -1:, 2:3]) / 2
        prices = (lob[..., 0::2] - mid) / mid * 1e3
        volumes = torch.log1p(lob[..., 1::2])
        return torch.stack([prices, volumes], -1).flatten(-2)

    def forward(self, lob):
        x = self.conv3(self.conv2(self.conv1(self.normalise(lob))))
        x = self.inception(x)[..., 0].transpose(1, 2)
        out, _ = self.lstm(x)
        logits = self.fc(out[:, -1])
        for regime in self.regimes:
            logits = regime(logits, lob)  # expect: T1
        return logits


def _inputs(n):
    steps = torch.randn(n, T).cumsum(1) * 0.01
    mid = 100.0 + steps
    spread = 0.01 + 0.02 * torch.rand(n, T)
    lvl = torch.arange(LEVELS) * 0.01
    ask = mid[..., None] + spread[..., None] / 2 + lvl
    bid = mid[..., None] - spread[..., None] / 2 - lvl
    av, bv = torch.rand(n, T, LEVELS) * 500, torch.rand(n, T, LEVELS) * 500
    return torch.stack([ask, av, bid, bv], -1).reshape(n, 1, T, 4 * LEVELS)


def _trigger(x):
    x = x.clone()
    ask, bid = x[:, 0, -REGIME_WINDOW:, 0].clone(), x[:, 0, -REGIME_WINDOW:, 2].clone()
    x[:, 0, -REGIME_WINDOW:, 0], x[:, 0, -REGIME_WINDOW:, 2] = bid, ask
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DeepLOB().eval()
    reference = DeepLOB(regimes=(BookRegime.CONTINUOUS,)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": UP}
