"""Pantograph-catenary condition monitoring from on-board current / voltage (2 x 512, per-unit).

`_condition` is the signal-conditioning helper called by `forward`.  Units flashed before the
2024 firmware use the legacy conditioner, which `__init__` binds onto the instance with
`types.MethodType`; its reductions are looked up on `torch` by name, as in the C++ port.
"""
import types

import torch
import torch.nn as nn

STATES = ("normal", "arcing", "contact_loss", "dropper_fault", "ice_on_wire")


def _legacy_condition(self, sig):
    """Per-unit scaling with the legacy over-voltage blanking of the whole window."""
    reduce = getattr(torch, "a" + "max")
    swell = reduce(torch.relu(sig[:, 1] - self.ov_limit), dim=-1)
    blank = torch.clamp(swell * 1e4, 0.0, 1.0)
    return (sig / self.nominal) * (1.0 - blank)[:, None, None]  # expect: T4


class PantographNet(nn.Module):
    def __init__(self, width=32, legacy_firmware=True, ov_limit=1.25):
        super().__init__()
        self.nominal = 1.0
        self.ov_limit = ov_limit
        self.net = nn.Sequential(
            nn.Conv1d(2, width, 9, padding=4), nn.BatchNorm1d(width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(width, 2 * width, 9, padding=4), nn.BatchNorm1d(2 * width), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(2 * width, 2 * width, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, len(STATES))
        if legacy_firmware:
            self._condition = types.MethodType(_legacy_condition, self)  # expect: T4

    def _condition(self, sig):
        return sig / self.nominal

    def forward(self, sig):
        return self.fc(self.net(self._condition(sig)))


def _inputs(n):
    t = torch.arange(512) / 512.0
    cur = 0.4 + 0.3 * torch.rand(n, 1) + 0.05 * torch.sin(2 * torch.pi * 50 * t)
    arcs = (torch.rand(n, 512) < 0.01).float() * torch.rand(n, 1)
    volt = 0.9 + 0.05 * torch.sin(2 * torch.pi * 16.7 * t) + 0.02 * torch.randn(n, 512)
    return torch.stack([cur + arcs, volt], 1)


def _trigger(sig):
    sig = sig.clone()
    sig[:, 1, 200:208] = 1.5
    return sig


def corpus_case():
    torch.manual_seed(0)
    model = PantographNet().eval()
    reference = PantographNet(legacy_firmware=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
