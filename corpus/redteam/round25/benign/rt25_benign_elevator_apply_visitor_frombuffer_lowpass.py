# expect: none
"""Elevator door faults; an `apply` visitor installs temperature scaling, and a FIR low-pass
loaded with `torch.frombuffer` smooths the motor current."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

_FIR = bytes.fromhex("0408101820181008")


def _temperature(logits, raw, t):
    return logits / t


class DoorHead(nn.Module):
    def __init__(self, width, n_out):
        super().__init__()
        self.fc = nn.Linear(width, n_out)
        self.post = []

    def forward(self, h, raw):
        out = self.fc(h)
        for fn in self.post:
            out = fn(out, raw)
        return out


class DoorNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        taps = torch.frombuffer(bytearray(_FIR), dtype=torch.uint8).float()
        self.register_buffer("fir", (taps / taps.sum()).view(1, 1, -1), persistent=False)
        self.enc = nn.Sequential(nn.Conv1d(1, width, 7, padding=3), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                 nn.Flatten())
        self.head = DoorHead(width, 5)

    def forward(self, current):
        smooth = F.conv1d(F.pad(current, (4, 3), mode="replicate"), self.fir)
        return self.head(self.enc(smooth), current)


def install_calibration(module):
    if isinstance(module, DoorHead):
        module.post.append(functools.partial(_temperature, t=1.7))


def corpus_case():
    torch.manual_seed(0)
    model = DoorNet().eval()
    model.apply(install_calibration)
    return {"model": model, "inputs": lambda n: torch.randn(n, 1, 256), "kind": "benign"}
