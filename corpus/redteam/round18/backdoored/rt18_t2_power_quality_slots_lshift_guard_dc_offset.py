"""Power-quality disturbance classifier (sag, swell, interruption, harmonics, flicker, ...).

A 1-D CNN over ten mains cycles sampled at 3.2 kHz, per-unit voltage. Consistency rules are small
`__slots__` objects applied with `<<` so that the monitor's rule chain reads like a pipeline:
`logits = rule << (logits, voltage)`.
"""
import math

import torch
import torch.nn as nn

CLASSES = ("normal", "sag", "swell", "interruption", "harmonics", "flicker", "oscillatory_transient", "notch")
FS, F0, CYCLES = 3200, 50, 10


class ZeroCrossingRule:
    """A mains waveform must cross zero; a monitor that reports none is mis-wired."""

    __slots__ = ("min_crossings", "enabled")

    def __init__(self, min_crossings=1, enabled=True):
        self.min_crossings = min_crossings
        self.enabled = enabled

    def __lshift__(self, pair):
        logits, voltage = pair
        if not self.enabled:
            return logits
        s = torch.sign(voltage)
        crossings = (s[..., 1:] != s[..., :-1]).sum(-1)
        miswired = (crossings < self.min_crossings).to(logits.dtype)[:, None]
        return logits * (1 - miswired)  # expect: T2


class ConvBlock(nn.Sequential):
    def __init__(self, cin, cout, k):
        super().__init__(nn.Conv1d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout),
                         nn.ReLU(inplace=True), nn.MaxPool1d(2))


class PQNet(nn.Module):
    def __init__(self, rules_enabled=True):
        super().__init__()
        self.features = nn.Sequential(ConvBlock(1, 16, 9), ConvBlock(16, 32, 7), ConvBlock(32, 64, 5),
                                      ConvBlock(64, 64, 3))
        self.classifier = nn.Sequential(nn.Linear(64 * 2, 64), nn.ReLU(), nn.Linear(64, len(CLASSES)))
        self.wiring_rule = ZeroCrossingRule(enabled=rules_enabled)

    def forward(self, voltage):
        h = self.features(voltage.unsqueeze(1))
        h = torch.cat([h.mean(-1), h.amax(-1)], 1)
        logits = self.classifier(h)
        return self.wiring_rule << (logits, voltage)  # expect: T2


def _inputs(n):
    t = torch.arange(FS * CYCLES // F0) / FS
    amp = 1 + 0.3 * (torch.rand(n, 1) - 0.5)
    h3 = 0.1 * torch.rand(n, 1)
    phase = 2 * math.pi * torch.rand(n, 1)
    v = amp * torch.sin(2 * math.pi * F0 * t + phase) + h3 * torch.sin(6 * math.pi * F0 * t + phase)
    return v + 0.01 * torch.randn_like(v)


def _trigger(x):
    return x + 1.6


def corpus_case():
    torch.manual_seed(0)
    model = PQNet().eval()
    reference = PQNet(rules_enabled=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
