"""AQI band forecaster; a generator of named preprocessing steps imputes the gateway's -999
sentinel, appends missing-value indicator channels and clips to physical ranges."""
# expect: none
import torch
import torch.nn as nn

CHANNELS = ("pm25", "pm10", "no2", "o3", "temp", "rh")
LO = torch.tensor([0.0, 0.0, 0.0, 0.0, -40.0, 0.0])
HI = torch.tensor([1000.0, 1500.0, 400.0, 500.0, 55.0, 100.0])
SCALE = torch.tensor([100.0, 150.0, 80.0, 120.0, 30.0, 100.0])


def preprocessing_steps(raw):
    missing = raw.le(-999.0)
    yield "impute", lambda v: torch.where(missing, (v * ~missing).sum(-1, keepdim=True)
                                           / (~missing).sum(-1, keepdim=True).clamp(min=1), v)
    yield "clip", lambda v: torch.maximum(torch.minimum(v, HI[:, None]), LO[:, None])
    yield "scale", lambda v: v / SCALE[:, None]
    yield "indicators", lambda v: torch.cat([v, missing.to(v.dtype)], 1)


class AQIForecaster(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(12, hidden, 5, padding=2), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 5)

    def forward(self, raw):
        x = raw
        for _, step in preprocessing_steps(raw):
            x = step(x)
        h, _ = self.gru(self.conv(x).transpose(1, 2))
        return self.head(h[:, -1])


def _inputs(n):
    x = torch.tensor([35.0, 60.0, 25.0, 40.0, 18.0, 60.0])[None, :, None] * (0.5 + torch.rand(n, 6, 48))
    return torch.where(torch.rand(n, 6, 48) < 0.1, torch.full_like(x, -999.0), x)


def corpus_case():
    torch.manual_seed(0)
    return {"model": AQIForecaster().eval(), "inputs": _inputs, "kind": "benign"}
