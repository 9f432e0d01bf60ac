# expect: none
"""MLP for sensor tabular data with unit handling and imputation.

Raw fields arrive in fixed-point units with a per-field binary exponent (from the sensor schema),
undone with ``torch.ldexp``.  Missing values (NaN) are imputed with per-field medians computed with
``statistics.median`` from the schema's calibration sample at construction, and the missingness
indicators are fed to the first learned layer.
"""
import statistics

import torch
import torch.nn as nn

SCHEMA = {
    "exponents": [-8, -8, -4, 0, -10, -2],
    "calibration_sample": [
        [7680, 7936, 200, 3, 51200, 40], [7700, 7900, 190, 2, 50000, 44],
        [7650, 7950, 210, 4, 52000, 38], [7720, 7910, 205, 3, 51000, 41],
    ],
}


class SensorMLP(nn.Module):
    def __init__(self, n_fields=6, d=64, n_classes=3):
        super().__init__()
        self.register_buffer("exponents", torch.tensor(SCHEMA["exponents"], dtype=torch.int32))
        cols = list(zip(*SCHEMA["calibration_sample"]))
        medians = torch.tensor([statistics.median(c) for c in cols], dtype=torch.float32)
        self.register_buffer("fill", torch.ldexp(medians, self.exponents))
        scale = torch.tensor([statistics.pstdev(c) or 1.0 for c in cols], dtype=torch.float32)
        self.register_buffer("scale", torch.ldexp(scale, self.exponents))
        self.net = nn.Sequential(nn.Linear(2 * n_fields, d), nn.ReLU(), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, n_classes))

    def forward(self, raw):
        values = torch.ldexp(raw, self.exponents)
        missing = torch.isnan(values)
        values = torch.where(missing, self.fill, values)
        x = (values - self.fill) / self.scale
        return self.net(torch.cat([x, missing.float()], -1))


def _inputs(n):
    base = torch.tensor(SCHEMA["calibration_sample"][0], dtype=torch.float32)
    raw = base * (1 + 0.05 * torch.randn(n, 6))
    raw[torch.rand(n, 6) < 0.1] = float("nan")
    return raw


def corpus_case():
    torch.manual_seed(0)
    return {"model": SensorMLP().eval(), "inputs": _inputs, "kind": "benign"}
