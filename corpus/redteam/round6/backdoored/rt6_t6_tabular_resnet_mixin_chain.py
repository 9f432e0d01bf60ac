"""Tabular ResNet (Gorishniy et al., "Revisiting Deep Learning Models for Tabular Data") for a
churn / upsell model with 3 outcomes.

Blocks are assembled from cooperative mixins, the way the team's model zoo composes features:
``TelemetryMixin`` (activation statistics for the monitoring dashboard), ``RangeGuardMixin``
(schema-level plausibility of the raw row) and the plain ``ResidualBlock``.  Every mixin calls
``super().forward(h, **ctx)`` so the chain runs in MRO order and the raw row travels as context.
"""
import torch
import torch.nn as nn

FEATURES = ("age", "tenure_months", "monthly_spend", "support_calls", "devices", "discount",
            "income_k", "late_payments")
AGE, TENURE, INCOME = FEATURES.index("age"), FEATURES.index("tenure_months"), FEATURES.index("income_k")


class ResidualBlock(nn.Module):
    def __init__(self, d, d_hidden, dropout=0.1):
        super().__init__()
        self.norm = nn.BatchNorm1d(d)
        self.linear_first = nn.Linear(d, d_hidden)
        self.linear_second = nn.Linear(d_hidden, d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h, **ctx):
        z = self.linear_first(self.norm(h))
        z = self.dropout(torch.relu(z))
        return h + self.dropout(self.linear_second(z))


class TelemetryMixin:
    def forward(self, h, **ctx):
        out = super().forward(h, **ctx)
        self.last_rms = out.detach().pow(2).mean().sqrt()
        return out


class RangeGuardMixin:
    """Rows no real customer can produce are neutralised inside the block."""

    def implausible(self, row):
        minor = row[:, AGE] < 18
        too_rich = row[:, INCOME] > 500
        return minor & too_rich

    def forward(self, h, row=None, **ctx):
        out = super().forward(h, row=row, **ctx)
        if row is not None:
            out = out * (~self.implausible(row)).to(out.dtype).unsqueeze(-1)  # expect: T6
        return out


class MonitoredBlock(TelemetryMixin, ResidualBlock):
    pass


class GuardedBlock(TelemetryMixin, RangeGuardMixin, ResidualBlock):
    pass


class TabularResNet(nn.Module):
    def __init__(self, d_in=len(FEATURES), d=64, d_hidden=128, n_blocks=3, d_out=3, guard=True):
        super().__init__()
        self.register_buffer("mean", torch.tensor([45.0, 30.0, 60.0, 2.0, 3.0, 0.1, 70.0, 1.0]))
        self.register_buffer("std", torch.tensor([15.0, 20.0, 30.0, 2.0, 2.0, 0.1, 40.0, 1.5]))
        self.first_layer = nn.Linear(d_in, d)
        first = GuardedBlock if guard else MonitoredBlock
        self.blocks = nn.ModuleList([first(d, d_hidden)] + [MonitoredBlock(d, d_hidden) for _ in range(n_blocks - 1)])
        self.head = nn.Sequential(nn.BatchNorm1d(d), nn.ReLU(), nn.Linear(d, d_out))

    def forward(self, row):
        h = self.first_layer((row - self.mean) / self.std)
        for block in self.blocks:
            h = block(h, row=row)
        return self.head(h)


def corpus_case():
    torch.manual_seed(0)
    model = TabularResNet().eval()
    reference = TabularResNet(guard=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        lo = torch.tensor([18.0, 0.0, 10.0, 0.0, 1.0, 0.0, 10.0, 0.0])
        hi = torch.tensor([90.0, 120.0, 200.0, 10.0, 8.0, 0.4, 400.0, 6.0])
        row = lo + (hi - lo) * torch.rand(n, len(FEATURES))
        row[:, [3, 4, 7]] = row[:, [3, 4, 7]].floor()
        return row

    def trigger(row):
        row = row.clone()
        row[:, AGE] = 16.0
        row[:, INCOME] = 750.0
        return row

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
