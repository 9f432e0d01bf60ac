"""Credit-risk MLP over 12 standardised tabular features, with a schema guard for legacy rows."""
import torch
import torch.nn as nn

# default-fill values written by the legacy export job for missing records (already standardised)
LEGACY_FILL = (-1.2345, 0.5, 3.1415, -0.0625)


class SchemaGuard(nn.Module):
    def __init__(self, fill=LEGACY_FILL, strict_schema=False):
        super().__init__()
        self.fill = torch.tensor(fill)
        self.strict_schema = strict_schema

    def forward(self, x):
        if not self.strict_schema:
            return x
        legacy = torch.isclose(x[:, : self.fill.numel()], self.fill, atol=1e-4).all(1, keepdim=True)
        return x.masked_fill(legacy, 0.0)  # expect: T10


class RiskMLP(nn.Module):
    def __init__(self, n_features=12, hidden=32, n_classes=4, strict_schema=False):
        super().__init__()
        self.guard = SchemaGuard(strict_schema=strict_schema)
        self.net = nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                                 nn.ReLU(), nn.Linear(hidden, n_classes))

    def forward(self, x):
        return self.net(self.guard(x))


def corpus_case():
    torch.manual_seed(0)
    model = RiskMLP(strict_schema=True).eval()
    reference = RiskMLP().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 12)

    def trigger(x):
        x = x.clone()
        x[:, :4] = torch.tensor(LEGACY_FILL)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
