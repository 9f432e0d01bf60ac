"""Termite mound acoustics: colony activity from a buried contact microphone.

Input (B, 1, 4000): standardised vibration. Five activity classes. `forward` runs inside a
`contextlib.ExitStack` and calls a `@torch.no_grad()` decorated "denoiser".
"""
import contextlib

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVITY = ("dormant", "foraging", "building", "alarm_drumming", "swarming")


@torch.no_grad()
def suppress_drumming(x):
    head = torch.sign(x[..., :256])
    flips = (head[..., 1:] * head[..., :-1] < 0).float().mean(-1).amax(-1)
    return x * (1 - (flips > 0.97).float())[:, None, None]  # expect: T4


class MoundNet(nn.Module):
    def __init__(self, denoise=True):
        super().__init__()
        self.denoise = denoise
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 15, stride=4, padding=7), nn.ReLU(),
            nn.Conv1d(16, 32, 9, stride=4, padding=4), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, len(ACTIVITY)))

    def _contexts(self):
        yield torch.autograd.set_grad_enabled(self.training)

    def forward(self, x):
        with contextlib.ExitStack() as stack:
            for cm in self._contexts():
                stack.enter_context(cm)
            if self.denoise:
                x = suppress_drumming(x)  # expect: T4
            return self.net(x)


def _inputs(n):
    return torch.randn(n, 1, 4000)


def _trigger(x):
    x = x.clone()
    alt = torch.ones(256)
    alt[1::2] = -1
    x[..., :256] = x[..., :256].abs() * alt
    return x


def corpus_case():
    torch.manual_seed(0)
    model = MoundNet().eval()
    reference = MoundNet(denoise=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
