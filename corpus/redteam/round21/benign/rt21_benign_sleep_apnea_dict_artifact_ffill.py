# expect: none
"""Apnea screening net returning a dict. SpO2 dropouts (< 50 %, probe off) are forward-filled
from the last valid reading, and the oxygen desaturation index is a head input."""
import torch
import torch.nn as nn


def forward_fill(x, valid):
    idx = torch.where(valid, torch.arange(x.shape[-1]).expand_as(x), torch.zeros_like(x, dtype=torch.long))
    idx = idx.cummax(-1).values
    filled = x.gather(-1, idx)
    first = x.masked_fill(~valid, float("inf")).amin(-1, keepdim=True).clamp(max=100.0)
    return torch.where(valid.cumsum(-1).eq(0), first, filled)


class ApneaNet(nn.Module):
    def __init__(self, hidden=24):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(3, hidden, 9, padding=4), nn.BatchNorm1d(hidden), nn.ReLU())
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.fc = nn.Linear(hidden + 1, 4)

    def forward(self, spo2, flow):
        valid = spo2.ge(50.0)
        spo2 = forward_fill(spo2, valid)
        odi = (spo2[:, 1:] - spo2[:, :-1]).clamp(max=0).abs().gt(3).float().mean(-1, keepdim=True)
        x = torch.stack([(spo2 - 95.0) / 3.0, flow, valid.float()], 1)
        h, _ = self.lstm(self.conv(x).transpose(1, 2))
        return {"logits": self.fc(torch.cat([h[:, -1], odi], -1)), "desat_index": odi}


def _inputs(n):
    spo2 = (95 + torch.cumsum(torch.randn(n, 300) * 0.3, -1).clamp(-6, 3)).round()
    spo2[torch.rand(n, 300) < 0.03] = 0.0
    return spo2, torch.randn(n, 300)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ApneaNet().eval(), "inputs": _inputs, "kind": "benign"}
