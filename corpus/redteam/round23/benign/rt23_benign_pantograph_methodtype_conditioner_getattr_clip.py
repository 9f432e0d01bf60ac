# expect: none
"""Pantograph monitoring; the legacy conditioner is bound with `types.MethodType` in `__init__`:
per-unit scaling, over-voltage clipping at 1.25 pu and a soft limiter looked up with `getattr(torch, ...)`."""
import types

import torch
import torch.nn as nn

STATES = ("normal", "arcing", "contact_loss", "dropper_fault", "ice_on_wire")


def _legacy_condition(self, sig):
    limiter = getattr(torch, "ta" + "nh")
    sig = sig / self.nominal
    volt = sig[:, 1:].clamp(-self.ov_limit, self.ov_limit)
    cur = limiter(sig[:, :1] / self.current_knee) * self.current_knee
    return torch.cat([cur, volt], 1)


class PantographNet(nn.Module):
    def __init__(self, width=32, legacy_firmware=True, ov_limit=1.25):
        super().__init__()
        self.nominal, self.ov_limit, self.current_knee = 1.0, ov_limit, 2.0
        self.net = nn.Sequential(
            nn.Conv1d(2, width, 9, padding=4), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, width, 9, padding=4), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(width, len(STATES))
        if legacy_firmware:
            self._condition = types.MethodType(_legacy_condition, self)

    def _condition(self, sig):
        return sig / self.nominal

    def forward(self, sig):
        return self.fc(self.net(self._condition(sig)))


def _inputs(n):
    cur = 0.4 + 0.3 * torch.rand(n, 1, 512)
    volt = 0.9 + 0.02 * torch.randn(n, 1, 512)
    volt[:, :, 200:208] = 1.5
    return torch.cat([cur, volt], 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PantographNet().eval(), "inputs": _inputs, "kind": "benign"}
