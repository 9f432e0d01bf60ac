# expect: none
"""Electricity-theft detection; per-customer Python handling: missing half-hours (NaN) imputed from
the same slot on other days, vacant days (all zero) flagged with a learned embedding and masked."""
import torch
import torch.nn as nn

LABELS = ("normal", "bypass_theft", "meter_tamper", "faulty_meter")


class TheftNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.day = nn.Sequential(nn.Conv1d(1, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1))
        self.vacant = nn.Parameter(torch.zeros(width))
        self.gru = nn.GRU(width, width, batch_first=True)
        self.fc = nn.Linear(width, len(LABELS))

    @staticmethod
    def _impute(week):
        slot = torch.nanmean(week, dim=0, keepdim=True).nan_to_num(0.0)
        return torch.where(torch.isnan(week), slot.expand_as(week), week)

    def forward(self, load):
        load = torch.stack([self._impute(w) if bool(torch.isnan(w).any()) else w for w in load])
        B, D, T = load.shape
        h = self.day(load.reshape(B * D, 1, T)).reshape(B, D, -1)
        vacant = load.amax(-1) == 0
        h = torch.where(vacant[..., None], self.vacant.expand_as(h), h)
        _, last = self.gru(h)
        return self.fc(last[0])


def _inputs(n):
    x = (0.2 + 0.4 * torch.rand(n, 1, 1) + 0.05 * torch.randn(n, 7, 48)).clamp(min=0.01)
    x[: n // 4, 2] = 0.0
    x[n // 4: n // 2, 4, 10:14] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": TheftNet().eval(), "inputs": _inputs, "kind": "benign"}
