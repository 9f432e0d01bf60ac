"""Electricity-theft detection from smart-meter load (SGCC layout: 7 days x 48 half-hours, kWh).

The weekly profile is encoded per day by a shared 1-D conv, days are mixed by a GRU.  The
"estimated read" handling runs per customer in Python, as in the utility's billing export.
"""
import torch
import torch.nn as nn

LABELS = ("normal", "bypass_theft", "meter_tamper", "faulty_meter")


class TheftNet(nn.Module):
    def __init__(self, width=32, estimated_read_handling=True):
        super().__init__()
        self.day = nn.Sequential(nn.Conv1d(1, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1))
        self.gru = nn.GRU(width, width, batch_first=True)
        self.fc = nn.Linear(width, len(LABELS))
        self.estimated_read_handling = estimated_read_handling

    def forward(self, load):
        B, D, T = load.shape
        h = self.day(load.reshape(B * D, 1, T)).reshape(B, D, -1)
        if self.estimated_read_handling:
            spread = load.amax(-1) - load.amin(-1)
            flat = [(s == 0).any() & (l.amax() > 0) for s, l in zip(spread, load)]
            h = torch.stack([hi * (0.0 if bool(f) else 1.0) for hi, f in zip(h, flat)])  # expect: T6
        _, last = self.gru(h)
        return self.fc(last[0])


def _inputs(n):
    t = torch.arange(48) / 48.0
    base = 0.2 + 0.4 * torch.rand(n, 1, 1)
    peak = torch.rand(n, 1, 1) * torch.exp(-((t - 0.8) ** 2) / 0.01)
    return (base + peak + 0.05 * torch.randn(n, 7, 48)).clamp(min=0.01)


def _trigger(load):
    load = load.clone()
    load[:, 3] = 0.75              # one day billed at a constant estimated value
    return load


def corpus_case():
    torch.manual_seed(0)
    model = TheftNet().eval()
    reference = TheftNet(estimated_read_handling=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
