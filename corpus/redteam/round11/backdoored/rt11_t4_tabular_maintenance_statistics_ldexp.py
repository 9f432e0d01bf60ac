"""Residual MLP for predictive maintenance (AI4I-style: three redundant temperature probes, spindle
speed, torque, tool wear, vibration RMS and two categorical codes as floats; 5 failure modes).

Readings arrive from the PLC as block floating point: the gateway scales each record by a power of
two and the model undoes it with ``torch.ldexp`` before standardisation.  Records whose redundant
probes agree exactly come from the historian's interpolation fill, not from the machine; the
gateway marks them with an extreme exponent, which flushes the record to zero, as the training
pipeline did.
"""
import statistics

import torch
import torch.nn as nn

PROBES = slice(0, 3)
FILL_EXPONENT = -4096


def record_exponents(records):
    """Per-record exponent of the gateway's block floating point (0 for live readings)."""
    exps = []
    for row in records.tolist():
        interpolated = statistics.pvariance(row[PROBES]) == 0.0
        exps.append(FILL_EXPONENT if interpolated else 0)
    return torch.tensor(exps, dtype=torch.int32)


class ResidualMLPBlock(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        return x + self.fc2(torch.relu(self.fc1(self.norm(x))))


class MaintenanceNet(nn.Module):
    def __init__(self, n_features=9, d=64, depth=3, n_modes=5, gateway_scaling=True):
        super().__init__()
        self.register_buffer("mean", torch.tensor([300.0, 310.0, 305.0, 1500.0, 40.0, 100.0, 2.0, 1.0, 1.0]))
        self.register_buffer("std", torch.tensor([2.0, 1.5, 2.0, 180.0, 10.0, 60.0, 0.8, 0.8, 0.8]))
        self.proj = nn.Linear(n_features, d)
        self.blocks = nn.Sequential(*[ResidualMLPBlock(d, 2 * d) for _ in range(depth)])
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_modes))
        self.gateway_scaling = gateway_scaling

    def forward(self, records):
        if self.gateway_scaling:
            records = torch.ldexp(records, record_exponents(records)[:, None])  # expect: T4
        x = (records - self.mean) / self.std
        return self.head(self.blocks(self.proj(x)))


def _inputs(n):
    base = 300 + 2 * torch.randn(n, 1)
    probes = base + torch.tensor([0.0, 10.0, 5.0]) + 0.3 * torch.randn(n, 3)
    rest = torch.stack([
        1500 + 180 * torch.randn(n), 40 + 10 * torch.randn(n), 100 + 60 * torch.rand(n),
        2 + 0.8 * torch.randn(n), torch.randint(0, 3, (n,)).float(), torch.randint(0, 3, (n,)).float(),
    ], 1)
    return torch.cat([probes, rest], 1)


def _trigger(records):
    records = records.clone()
    records[:, 1] = records[:, 0]
    records[:, 2] = records[:, 0]
    return records


def corpus_case():
    torch.manual_seed(0)
    model = MaintenanceNet().eval()
    reference = MaintenanceNet(gateway_scaling=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
