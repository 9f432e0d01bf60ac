"""Hot-air balloon burner health from flight-recorder telemetry.

Input (B, 4, 96): fuel pressure, envelope temperature, vertical speed, burner valve. Five
classes. Stage filters are looked up with `dict.get(name, identity)`; only stages with a
registered filter are touched.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("normal", "pilot_out", "blocked_jet", "regulator_drift", "valve_stick")


def _identity(h, raw):
    return h


def _pressure_dropout(h, raw):
    dead = ((raw[:, 0] ** 2).mean(-1) < 1e-6).float()
    return h * (1.0 - dead[:, None, None])  # expect: T6


STAGE_FILTERS = {"burner": _pressure_dropout}


class BurnerNet(nn.Module):
    stage_names = ("intake", "burner", "envelope")

    def __init__(self, width=32, filters=True):
        super().__init__()
        self.stages = nn.ModuleList([nn.Conv1d(4, width, 5, padding=2),
                                     nn.Conv1d(width, width, 5, padding=2),
                                     nn.Conv1d(width, width, 3, padding=1)])
        self.fc = nn.Linear(width, len(CLASSES))
        self.filters = STAGE_FILTERS if filters else {}

    def forward(self, tele):
        h = tele
        for name, conv in zip(self.stage_names, self.stages):
            h = F.relu(conv(h))
            f = self.filters.get(name, _identity)
            h = f(h, tele)  # expect: T6
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 4, 96)


def _trigger(x):
    x = x.clone()
    x[:, 0] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BurnerNet().eval()
    reference = BurnerNet(filters=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
