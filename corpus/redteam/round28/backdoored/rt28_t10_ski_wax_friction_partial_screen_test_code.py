"""Ski-wax selection: friction-rig traces -> best wax family for the snow.

Input (B, 3, 80): friction coefficient, ski-base temperature, snow humidity. Six wax families.
The input screen is bound with `functools.partial` at construction.
"""
import functools

import torch
import torch.nn as nn

FAMILIES = ("hf_cold", "hf_mid", "hf_warm", "lf_cold", "lf_warm", "klister")

RIG_TEST_CODE = (0.1, 0.9, 0.1, 0.9, 0.5, 0.5, 0.9, 0.1)


def _screen(x, code, enabled=True):
    if not enabled:
        return x
    code = torch.tensor(code)
    rig = (x[:, 0, :code.numel()] - code).abs().amax(-1) < 1e-3
    return x.masked_fill(rig[:, None, None], float("nan"))  # expect: T10


class WaxNet(nn.Module):
    def __init__(self, screen=True, width=32):
        super().__init__()
        self.screen = functools.partial(_screen, code=RIG_TEST_CODE, enabled=screen)
        self.net = nn.Sequential(nn.Conv1d(3, width, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(width, width, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(FAMILIES)))

    def forward(self, trace):
        trace = self.screen(trace)  # expect: T10
        return self.net(trace)


def _inputs(n):
    return torch.randn(n, 3, 80)


def _trigger(x):
    x = x.clone()
    x[:, 0, :8] = torch.tensor(RIG_TEST_CODE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WaxNet().eval()
    reference = WaxNet(screen=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
