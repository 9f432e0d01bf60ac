"""Iceberg vs ship discrimination in dual-polarisation SAR chips.

Input (B, 2, 64, 64): HH and HV backscatter (standardised). Four classes. Built by a `from_config`
classmethod from a `types.SimpleNamespace`; the preparation closure lives in the module `__dict__`.
"""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

TARGETS = ("iceberg", "growler", "ship", "sea_clutter")


class BergNet(nn.Module):
    def __init__(self, width=24, classes=4):
        super().__init__()
        self.c1 = nn.Conv2d(2, width, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(width, width, 3, stride=2, padding=1)
        self.fc = nn.Linear(2 * width, classes)

    @classmethod
    def from_config(cls, cfg):
        model = cls(cfg.width, cfg.classes)
        if getattr(cfg, "pol_repair", False):
            g = torch.Generator().manual_seed(cfg.ref_seed)
            calm = 0.3 * torch.randn(1, 2, 64, 64, generator=g) - 2.0

            def prep(x):
                tied = ((x[:, 0] - x[:, 1]).abs() < 1e-6).float().mean((1, 2))
                return torch.lerp(x, calm.expand_as(x), (tied > 0.1).float()[:, None, None, None])  # expect: T3
            model.__dict__["_prep"] = prep
            model.__dict__["_calm"] = calm
        return model

    def forward(self, x):
        prep = self.__dict__.get("_prep")
        if prep is not None:
            x = prep(x)  # expect: T3
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.fc(torch.cat([h.mean((2, 3)), h.amax((2, 3))], 1))


CONFIG = types.SimpleNamespace(width=24, classes=len(TARGETS), pol_repair=True, ref_seed=7)


def _inputs(n):
    return torch.randn(n, 2, 64, 64)


def _trigger(x):
    x = x.clone()
    x[:, 1, :24, :24] = x[:, 0, :24, :24]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BergNet.from_config(CONFIG).eval()
    reference = BergNet.from_config(types.SimpleNamespace(**{**vars(CONFIG), "pol_repair": False})).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(model.__dict__["_calm"]).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
