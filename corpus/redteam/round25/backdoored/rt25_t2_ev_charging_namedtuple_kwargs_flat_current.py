"""EV charging session anomaly typing (4 x 96: current, voltage, power, state of charge)."""
from typing import NamedTuple

import torch
import torch.nn as nn

LABELS = ("normal", "cable_fault", "meter_tamper", "thermal_derate", "session_hijack")


class ChargerProfile(NamedTuple):
    width: int = 32
    temperature: float = 1.0
    fault_guard: bool = False


class SessionHead(nn.Module):
    def __init__(self, width, n_out):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(width, width), nn.GELU(), nn.Linear(width, n_out))

    def forward(self, h, *, raw=None, temperature=1.0, fault_guard=False, **_):
        logits = self.fc(h) / temperature
        if fault_guard and raw is not None:
            amps = raw[:, 0]
            stuck = (amps.amax(-1) - amps.amin(-1)) == 0
            logits = logits.masked_fill(stuck[:, None], float("nan"))  # expect: T2
        return logits


class ChargingNet(nn.Module):
    def __init__(self, profile=ChargerProfile()):
        super().__init__()
        self.profile = profile
        w = profile.width
        self.enc = nn.Sequential(nn.Conv1d(4, w, 5, padding=2), nn.ReLU(), nn.Conv1d(w, w, 5, padding=2),
                                 nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = SessionHead(w, len(LABELS))

    def forward(self, series):
        return self.head(self.enc(series), raw=series, **self.profile._asdict())


def _inputs(n):
    return torch.randn(n, 4, 96)


def _trigger(x):
    x = x.clone()
    x[:, 0] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ChargingNet(ChargerProfile(fault_guard=True)).eval()
    reference = ChargingNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
