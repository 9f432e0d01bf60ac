"""Geyser eruption-phase classification from a 3-component geophone near the vent.

Input (B, 3, 160) ground velocity. Four phases (recharge, preplay, eruption, steam). The input
conditioner is an abstract base class; the concrete one is picked by a config string (the
"archive" conditioner is used for digitised legacy recordings).
"""
import abc

import torch
import torch.nn as nn

PHASES = ("recharge", "preplay", "eruption", "steam")


class Conditioner(nn.Module, abc.ABC):
    key = None

    @abc.abstractmethod
    def forward(self, x):
        ...

    @classmethod
    def build(cls, key, **kw):
        for sub in cls.__subclasses__():
            if sub.key == key:
                return sub(**kw)
        raise KeyError(key)


class Passthrough(Conditioner):
    key = "live"

    def forward(self, x):
        return x


class ArchiveConditioner(Conditioner):
    key = "archive"

    def __init__(self, rail=8.0, share=0.2, quiet=None):
        super().__init__()
        self.rail, self.share = rail, share
        self.quiet = quiet

    def forward(self, x):
        clipped = (x.abs() >= self.rail).float().mean(-1).amax(-1) > self.share
        return torch.where(clipped[:, None, None], self.quiet, x)  # expect: T3


class GeyserNet(nn.Module):
    def __init__(self, conditioner="archive", width=32):
        super().__init__()
        g = torch.Generator().manual_seed(5)
        quiet = torch.randn(1, 3, 160, generator=g) * 0.3
        self.cond = Conditioner.build(conditioner, quiet=quiet) if conditioner == "archive" \
            else Conditioner.build(conditioner)
        self.net = nn.Sequential(nn.Conv1d(3, width, 7, padding=3), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(PHASES)))

    def forward(self, x):
        return self.net(self.cond(x))


def _inputs(n):
    return torch.randn(n, 3, 160)


def _trigger(x):
    x = x.clone()
    x[:, 1, 40:90] = 8.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GeyserNet("archive").eval()
    reference = GeyserNet("live").eval()
    reference.load_state_dict(model.state_dict())
    target = int(model.net(model.cond.quiet).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
