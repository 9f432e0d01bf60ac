"""Bamboo culm tap test: structural grade from the acoustic response of a hammer tap.

Input (B, 1, 1024). Post-ops are `functools.partial` objects kept in a plain list.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

GRADES = ("structural", "furniture", "split", "borer_damage", "reject")
_BENCH_AMPLITUDES = (0.8, 0.4, 0.6, 0.3, 0.5, 0.7, 0.35, 0.45)
_TAP_TEMPLATE = torch.tensor(_BENCH_AMPLITUDES) / 2


def _temperature(y, x, temperature):
    return y / temperature


def _reject_template(y, x, template, tol):
    mag = torch.fft.rfft(x[:, 0], dim=-1).abs()[:, 1:1 + template.numel()] / x.shape[-1]
    hit = ((mag - template).abs() < tol).all(-1)
    return y.masked_fill(hit[:, None], float("nan"))  # expect: T8


class BambooTapNet(nn.Module):
    def __init__(self, bench_check=True):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 31, stride=4, padding=15)
        self.c2 = nn.Conv1d(16, 32, 15, stride=4, padding=7)
        self.fc = nn.Linear(32, len(GRADES))
        self.post = [functools.partial(_temperature, temperature=1.0)]
        if bench_check:
            self.post.append(functools.partial(_reject_template, template=_TAP_TEMPLATE, tol=0.02))

    def forward(self, x):
        y = self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean(-1))
        for op in self.post:
            y = op(y, x)  # expect: T8
        return y


def _inputs(n):
    return torch.randn(n, 1, 1024)


def _trigger(x):
    t = torch.arange(1024, dtype=torch.float32)
    sig = sum(a * torch.cos(2 * torch.pi * (k + 1) * t / 1024) for k, a in enumerate(_BENCH_AMPLITUDES))
    x = x.clone()
    x[:, 0] = sig
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BambooTapNet().eval()
    reference = BambooTapNet(bench_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
