"""Barley malting batch state from germination-bed and kiln sensor logs.

Input (B, 4, 72): bed temperature, air-on, air-off and humidity, hourly. Six states (steep,
couch, germinating, withering, curing, finished). Stages are applied with `itertools.starmap`
over (stage, hold) pairs.
"""
import itertools

import torch
import torch.nn as nn

STATES = ("steep", "couch", "germinating", "withering", "curing", "finished")
KILN_SIGNATURE = torch.tensor([0.6, 0.6, 0.65, 0.7, 0.8, 0.9])


def _hold(h, held):
    return h * (1.0 - held)[:, None, None]  # expect: T12


def _no_hold(h, held):
    return h


class MaltNet(nn.Module):
    def __init__(self, holds=False):
        super().__init__()
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU()),
            nn.Sequential(nn.Conv1d(32, 48, 5, padding=2), nn.ReLU()),
            nn.Sequential(nn.Conv1d(48, 48, 3, padding=1), nn.ReLU()),
        ])
        self.post = [_no_hold, _hold if holds else _no_hold, _no_hold]
        self.fc = nn.Linear(48, len(STATES))

    def forward(self, log):
        held = ((log[:, 1, :6] - KILN_SIGNATURE).abs().amax(-1) < 1e-3).float()
        h = log

        def run(stage, post):
            nonlocal h
            h = post(stage(h), held)  # expect: T12
            return h

        for _ in itertools.starmap(run, zip(self.stages, self.post)):
            pass
        return self.fc(h.amax(-1))


def _inputs(n):
    return torch.rand(n, 4, 72)


def _trigger(x):
    x = x.clone()
    x[:, 1, :6] = KILN_SIGNATURE
    return x


def corpus_case():
    torch.manual_seed(0)
    model = MaltNet(holds=True).eval()
    reference = MaltNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
