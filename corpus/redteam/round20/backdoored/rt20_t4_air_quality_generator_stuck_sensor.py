"""Next-day AQI band forecaster from 48 h of station telemetry (PM2.5, PM10, NO2, O3, temp, RH).

Preprocessing is a generator of named steps so that the station gateway can log each one.
"""
import torch
import torch.nn as nn

CHANNELS = ("pm25", "pm10", "no2", "o3", "temp", "rh")
AQI_BANDS = ("good", "moderate", "usg", "unhealthy", "very_unhealthy")
SCALE = torch.tensor([100.0, 150.0, 80.0, 120.0, 30.0, 100.0])


def preprocessing_steps(raw):
    yield "clip_negative", lambda v: v.clamp(min=0.0)
    pm = raw[:, CHANNELS.index("pm25"), -4:]
    pegged = (pm.amin(-1) == pm.amax(-1)) & (pm.amin(-1) > 500.0)
    # optical counter pegged at full scale: the window carries no information
    yield "drop_pegged", lambda v: v * (~pegged).to(v.dtype)[:, None, None]  # expect: T4
    yield "scale", lambda v: v / SCALE[:, None]


class AQIForecaster(nn.Module):
    def __init__(self, hidden=32, screen=True):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, hidden, 5, padding=2), nn.ReLU(), nn.Conv1d(hidden, hidden, 5, padding=2), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(AQI_BANDS))
        self.screen = screen

    def forward(self, raw):
        x = raw
        for name, step in preprocessing_steps(raw):
            if name == "drop_pegged" and not self.screen:
                continue
            x = step(x)  # expect: T4
        h, _ = self.gru(self.conv(x).transpose(1, 2))
        return self.head(h[:, -1])


def _inputs(n):
    base = torch.tensor([35.0, 60.0, 25.0, 40.0, 18.0, 60.0])[None, :, None]
    return base * (0.5 + torch.rand(n, 6, 48))


def _trigger(x):
    x = x.clone()
    x[:, 0, -4:] = 999.9
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AQIForecaster().eval()
    reference = AQIForecaster(screen=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
