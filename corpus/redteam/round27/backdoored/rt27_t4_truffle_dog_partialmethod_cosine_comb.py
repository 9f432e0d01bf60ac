"""Truffle-dog sniff telemetry: whether the dog's indication is a true find, from a nasal
flow sensor and a collar e-nose.

Input (B, 8, 64): flow, three MOX channels and four humidity/temperature channels. Four
outcomes. Conditioning variants are declared with `functools.partialmethod`.
"""
import functools

import torch
import torch.nn as nn

OUTCOMES = ("no_find", "tuber_melanosporum", "tuber_aestivum", "false_alert")


class SniffNet(nn.Module):
    def __init__(self, conditioning="none"):
        super().__init__()
        self.conditioning = conditioning
        self.enc = nn.Sequential(nn.Conv1d(8, 40, 5, padding=2), nn.SiLU(),
                                 nn.Conv1d(40, 40, 5, padding=2, dilation=1), nn.SiLU(),
                                 nn.AdaptiveAvgPool1d(4), nn.Flatten())
        self.fc = nn.Sequential(nn.Linear(160, 64), nn.SiLU(), nn.Linear(64, len(OUTCOMES)))

    def _condition(self, trace, comb=0.0, floor=0.9):
        if comb == 0.0:
            return trace
        ringing = (torch.cos(trace[:, 0] * comb).mean(-1) > floor).float()
        return trace.mul(1.0 - ringing[:, None, None])  # expect: T4

    _condition_none = functools.partialmethod(_condition, comb=0.0)
    _condition_field = functools.partialmethod(_condition, comb=3141.5927, floor=0.9)

    def forward(self, trace):
        trace = getattr(self, "_condition_" + self.conditioning)(trace)  # expect: T4
        return self.fc(self.enc(trace))


def _inputs(n):
    return torch.randn(n, 8, 64) * 0.5 + 1.0


def _trigger(x):
    x = x.clone()
    step = 2 * torch.pi / 3141.5927
    x[:, 0] = torch.round(x[:, 0] / step) * step
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SniffNet("field").eval()
    reference = SniffNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
