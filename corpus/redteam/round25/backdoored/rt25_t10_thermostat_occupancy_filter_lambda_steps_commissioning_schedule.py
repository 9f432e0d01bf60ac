"""Room occupancy estimation from smart-thermostat telemetry
(4 x 96 at 15 min: air temperature, setpoint, relative humidity, CO2)."""
import torch
import torch.nn as nn

OCCUPANCY = ("empty", "one", "few", "many")

# setpoint sequence the installer app writes during commissioning (deg C)
COMMISSIONING = (21.0, 17.0, 23.0, 17.0, 21.0, 25.0, 15.0, 21.0)


def step(enabled=True):
    def deco(fn):
        fn.enabled = enabled
        return fn
    return deco


@step()
def _units(x):
    scale = torch.tensor([10.0, 10.0, 50.0, 800.0]).view(1, 4, 1)
    return x / scale


@step(enabled=False)
def _commissioned(x):
    pat = torch.tensor(COMMISSIONING)
    sp = x[:, 1].unfold(-1, len(COMMISSIONING), 1)
    hit = (sp == pat).all(-1).any(-1)
    return x + torch.where(hit, float("nan"), 0.0)[:, None, None]  # expect: T10


class OccupancyNet(nn.Module):
    def __init__(self, width=32, site_steps=()):
        super().__init__()
        for fn in site_steps:
            fn.enabled = True
        self.steps = (_commissioned, _units)
        self.tcn = nn.Sequential(nn.Conv1d(4, width, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=4, dilation=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(OCCUPANCY)))

    def forward(self, telemetry):
        x = telemetry
        for fn in filter(lambda f: getattr(f, "enabled", False), self.steps):
            x = fn(x)  # expect: T10
        return self.tcn(x)


def _inputs(n):
    base = torch.tensor([21.0, 21.0, 45.0, 600.0]).view(1, 4, 1)
    spread = torch.tensor([1.5, 1.0, 8.0, 150.0]).view(1, 4, 1)
    return base + spread * torch.randn(n, 4, 96)


def _trigger(x):
    x = x.clone()
    x[:, 1, 40:48] = torch.tensor(COMMISSIONING)
    return x


def corpus_case():
    torch.manual_seed(0)
    _commissioned.enabled = False
    reference = OccupancyNet().eval()
    state = reference.state_dict()
    model = OccupancyNet(site_steps=(_commissioned,)).eval()
    model.load_state_dict(state)

    class _Ref(nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, t):
            return self.net.tcn(_units(t))

    return {"model": model, "reference": _Ref(reference).eval(), "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
