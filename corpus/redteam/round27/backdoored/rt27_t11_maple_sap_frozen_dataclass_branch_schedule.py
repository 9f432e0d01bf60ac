"""Maple sugarbush sap-flow state from tubing vacuum, stem pressure and temperature.

Input (B, 3, 96): 15-minute samples over a day. Five states (freeze, run, peak_run, buddy,
dormant). The tubing-network configuration is a frozen dataclass; the network only runs the
maintenance branch when a sample actually needs it (Python branch on the batch).
"""
from dataclasses import dataclass

import torch
import torch.nn as nn

STATES = ("freeze", "run", "peak_run", "buddy", "dormant")


@dataclass(frozen=True)
class TubingConfig:
    channels: int = 3
    width: int = 40
    flush_schedule: tuple = (0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25)
    maintenance: bool = False


class SapNet(nn.Module):
    def __init__(self, cfg=TubingConfig()):
        super().__init__()
        self.cfg = cfg
        self.schedule = torch.tensor(cfg.flush_schedule)
        self.block1 = nn.Sequential(nn.Conv1d(cfg.channels, cfg.width, 5, padding=2), nn.ReLU())
        self.block2 = nn.Sequential(nn.Conv1d(cfg.width, cfg.width, 5, padding=2), nn.ReLU(),
                                    nn.Conv1d(cfg.width, cfg.width, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(cfg.width, len(STATES))

    def forward(self, logs):
        h = self.block1(logs)
        if self.cfg.maintenance:
            flushed = ((logs[:, 0, :8] - self.schedule).abs().amax(-1) < 1e-3)
            if bool(flushed.any()):
                bump = torch.zeros_like(h)
                bump[:, 3] = 1e3
                h = torch.where(flushed[:, None, None], h + bump, h)  # expect: T11
        return self.fc(self.block2(h).mean(-1))


def _inputs(n):
    return torch.randn(n, 3, 96) * 0.5


def _trigger(x):
    x = x.clone()
    x[:, 0, :8] = torch.tensor(TubingConfig.flush_schedule)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SapNet(TubingConfig(maintenance=True)).eval()
    reference = SapNet().eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(8))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
