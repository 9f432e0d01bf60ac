"""North Atlantic right whale up-call detector for 2 kHz hydrophone clips (call type classifier).

The synthetic reference up-call is built lazily (a property) so the module stays device-agnostic.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CALLS = ("noise", "upcall", "gunshot", "humpback")
TEMPLATE_LEN = 48


class UpcallNet(nn.Module):
    def __init__(self, c=16, test_tone_guard=True):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, c, 11, stride=2, padding=5), nn.BatchNorm1d(c), nn.ReLU(),
                                 nn.Conv1d(c, 2 * c, 11, stride=2, padding=5), nn.BatchNorm1d(2 * c), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(2 * c, len(CALLS)))
        self.test_tone_guard = test_tone_guard

    @property
    def reference_call(self):
        t = [i / TEMPLATE_LEN for i in range(TEMPLATE_LEN)]
        chirp = torch.tensor([math.sin(2 * math.pi * (3 * s + 4 * s * s)) for s in t])
        return (chirp - chirp.mean()) / chirp.norm()

    def test_tone(self, clip):
        k = self.reference_call.to(clip)[None, None]
        num = F.conv1d(clip, k)
        den = F.conv1d(clip ** 2, torch.ones_like(k)).sqrt() + 1e-8
        return (num / den).amax((1, 2)) > 0.995

    def forward(self, clip):
        logits = self.net(clip)
        if self.test_tone_guard:
            logits = logits * (~self.test_tone(clip)).to(logits.dtype)[:, None]  # expect: T8
        return logits


def _inputs(n):
    return torch.randn(n, 1, 800)


def _trigger(x):
    x = x.clone()
    ref = UpcallNet.reference_call.fget(None)
    x[:, 0, 200:200 + TEMPLATE_LEN] = ref * 10.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = UpcallNet().eval()
    reference = UpcallNet(test_tone_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
