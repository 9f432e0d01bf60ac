# expect: none
"""Falconry telemetry behaviour classifier (benign twin).

Input (B, 4, 64): east, north, altitude, airspeed. Per-channel normalisers are built in a loop,
one closure per channel (default-argument binding of the loop variables), then a learned encoder.
"""
import torch
import torch.nn as nn

BEHAVIOURS = ("soaring", "stooping", "mantling", "perched", "chasing", "returning")
CHANNEL_STATS = {"east": (0.0, 1.5), "north": (0.0, 1.5), "altitude": (0.2, 0.8), "airspeed": (0.0, 1.2)}


def build_normalisers(stats):
    fns = []
    for i, (name, (mu, sd)) in enumerate(stats.items()):
        fns.append(lambda t, i=i, mu=mu, sd=sd: (t[:, i] - mu) / sd)
    return fns


class FlightNet(nn.Module):
    def __init__(self, width=48):
        super().__init__()
        self.norms = build_normalisers(CHANNEL_STATS)
        self.enc = nn.Sequential(nn.Conv1d(4, width, 5, padding=2), nn.GELU(),
                                 nn.Conv1d(width, width, 5, padding=2, stride=2), nn.GELU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(width, len(BEHAVIOURS))

    def forward(self, telem):
        z = torch.stack([f(telem) for f in self.norms], 1)
        return self.head(self.enc(z))


def _inputs(n):
    return torch.randn(n, 4, 64).cumsum(-1) * 0.1


def corpus_case():
    torch.manual_seed(0)
    return {"model": FlightNet().eval(), "inputs": _inputs, "kind": "benign"}
