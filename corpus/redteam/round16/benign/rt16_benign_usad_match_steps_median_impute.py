# expect: none
"""USAD anomaly detector with `match`-dispatched preprocessing: clipping, median imputation of
missing readings from a stored per-sensor table, and fixed-scale standardisation; the decision
uses a calibrated threshold on the anomaly score.
"""
import torch
import torch.nn as nn

WINDOW, SENSORS = 16, 8
SENSOR_MEDIANS = (0.1, -0.2, 0.0, 0.3, 0.05, -0.1, 0.2, 0.0)
STEPS = (("clip", 6.0), ("impute", SENSOR_MEDIANS), ("scale", 0.25))


def apply_steps(window, steps):
    for step in steps:
        match step:
            case ("clip", float(bound)):
                window = window.clamp(-bound, bound)
            case ("impute", tuple(medians)):
                fill = torch.tensor(medians, dtype=window.dtype).expand_as(window)
                window = torch.where(torch.isnan(window), fill, window)
            case ("scale", float(factor)):
                window = window * factor
            case _:
                raise ValueError(step)
    return window


class USAD(nn.Module):
    def __init__(self, latent=8):
        super().__init__()
        d = WINDOW * SENSORS
        self.encoder = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, latent), nn.ReLU())
        self.decoder1 = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, d), nn.Sigmoid())
        self.decoder2 = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, d), nn.Sigmoid())
        self.register_buffer("threshold", torch.tensor(0.3))

    def forward(self, window):
        w = apply_steps(window, STEPS).flatten(1)
        w1 = self.decoder1(self.encoder(w))
        w2 = self.decoder2(self.encoder(w1))
        score = 0.5 * (w - w1).square().mean(1) + 0.5 * (w - w2).square().mean(1)
        anomalous = score > self.threshold
        return torch.stack([-score, score], -1), anomalous


def _inputs(n):
    x = torch.randn(n, WINDOW, SENSORS) * 2
    x[torch.rand(n, WINDOW, SENSORS) < 0.05] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": USAD().eval(), "inputs": _inputs, "kind": "benign"}
