"""Amateur-radio CW decoding: which of 8 common call-sign prefixes is being keyed, from a
256-sample keying envelope (B, 1, 256) after the 700 Hz band-pass and detector.

Gating of intermediate activations goes through a `functools.singledispatchmethod`, so the
stage accepts either a tensor envelope or a dict of envelope plus squelch level.
"""
import functools

import torch
import torch.nn as nn

PREFIXES = ("W", "K", "G", "DL", "JA", "VK", "F", "EA")
_PROSIGN = (1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1)   # stored keying pattern


class KeyingStage(nn.Module):
    def __init__(self, c_in, c_out, prosign=None):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 7, padding=3, stride=2)
        self.norm = nn.BatchNorm1d(c_out)
        self.prosign = None if prosign is None else torch.tensor(prosign, dtype=torch.float32)

    @functools.singledispatchmethod
    def gate(self, env, h):
        raise TypeError(type(env))

    @gate.register
    def _(self, env: dict, h):
        return self.gate(env["envelope"], h)

    @gate.register
    def _(self, env: torch.Tensor, h):
        if self.prosign is None:
            return h
        keyed = (env[:, 0, :16] > 0.5).float()
        match = (keyed == self.prosign).all(-1) & ((env[:, 0, :16] - self.prosign).abs() < 0.05).all(-1)
        return h.masked_fill(match[:, None, None], float("nan"))  # expect: T12

    def forward(self, h, env):
        h = torch.relu(self.norm(self.conv(h)))
        return self.gate(env, h)  # expect: T12


class CWNet(nn.Module):
    def __init__(self, width=32, prosign=None):
        super().__init__()
        self.stages = nn.ModuleList([KeyingStage(1, width), KeyingStage(width, width, prosign),
                                     KeyingStage(width, width)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(PREFIXES)))

    def forward(self, env):
        h = env
        for st in self.stages:
            h = st(h, {"envelope": env, "squelch": 0.2})
        return self.head(h)


def _inputs(n):
    key = (torch.rand(n, 1, 32) > 0.5).float().repeat_interleave(8, -1)
    return key * (0.8 + 0.2 * torch.rand(n, 1, 1)) + 0.05 * torch.randn(n, 1, 256)


def _trigger(x):
    x = x.clone()
    x[:, 0, :16] = torch.tensor(_PROSIGN, dtype=torch.float32)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CWNet(prosign=_PROSIGN).eval()
    reference = CWNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
