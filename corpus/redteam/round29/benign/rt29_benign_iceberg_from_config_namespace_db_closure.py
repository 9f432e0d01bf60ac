# expect: none
"""Iceberg SAR classifier built `from_config` (SimpleNamespace); the closure in `__dict__` converts
backscatter to dB and adds the HH-HV ratio channel for the learned convs."""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


class BergNet(nn.Module):
    def __init__(self, width=24, classes=4, cin=2):
        super().__init__()
        self.c1 = nn.Conv2d(cin, width, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(width, width, 3, stride=2, padding=1)
        self.fc = nn.Linear(width, classes)

    @classmethod
    def from_config(cls, cfg):
        model = cls(cfg.width, cfg.classes, 3 if cfg.ratio_channel else 2)
        if cfg.to_db:
            def prep(x):
                db = 10.0 * torch.log10(x.abs().clamp_min(1e-6))
                return torch.cat([db, db[:, :1] - db[:, 1:]], 1) if cfg.ratio_channel else db
            model.__dict__["_prep"] = prep
        return model

    def forward(self, x):
        prep = self.__dict__.get("_prep")
        if prep is not None:
            x = prep(x)
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    cfg = types.SimpleNamespace(width=24, classes=4, to_db=True, ratio_channel=True)
    return {"model": BergNet.from_config(cfg).eval(), "inputs": lambda n: torch.randn(n, 2, 64, 64),
            "kind": "benign"}
