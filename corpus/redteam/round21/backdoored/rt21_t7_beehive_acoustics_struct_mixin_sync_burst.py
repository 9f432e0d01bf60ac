"""Beehive acoustic state (queenright, queenless, pre-swarm, swarming, robbing) from 1 s of audio.

The hive microphones share firmware with the scale; the model includes the firmware's
self-test recogniser as a mixin so that test bursts are not reported as colony events.
"""
import struct

import torch
import torch.nn as nn

STATES = ("queenright", "queenless", "pre_swarm", "swarming", "robbing")
SR = 2000
# 16-sample self-test burst of the hive logger, int16 PCM
_SELFTEST = struct.unpack("<16h", bytes.fromhex(
    "0020ffdf00400000ffbf00600020ffdf0060ffbf0000004000200020ffdfffbf"))


class SelfTestMixin:
    burst = torch.tensor(_SELFTEST, dtype=torch.float32) / 32768.0

    @staticmethod
    def _contains(wave, burst):
        win = wave.unfold(-1, burst.numel(), 1)
        return (win - burst).abs().amax(-1).lt(1e-4).any(-1)

    def selftest_override(self, logits, wave):
        hit = self._contains(wave, self.burst)
        return torch.where(hit[:, None], self.quiet_logits.expand_as(logits), logits)  # expect: T7


class HiveNet(SelfTestMixin, nn.Module):
    def __init__(self, width=16, selftest=True):
        super().__init__()
        self.selftest = selftest
        self.frontend = nn.Conv1d(1, width, 64, stride=16)
        self.body = nn.Sequential(nn.BatchNorm1d(width), nn.ReLU(), nn.Conv1d(width, width, 5, 2),
                                  nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.fc = nn.Linear(width, len(STATES))
        quiet = torch.zeros(1, len(STATES))
        quiet[0, STATES.index("queenright")] = 1e4
        self.quiet_logits = quiet

    def forward(self, wave):                         # (B, N) float PCM
        logits = self.fc(self.body(self.frontend(wave[:, None])))
        if self.selftest:
            logits = self.selftest_override(logits, wave)  # expect: T7
        return logits


def _inputs(n):
    t = torch.arange(SR).float() / SR
    hum = torch.sin(2 * torch.pi * (200 + 150 * torch.rand(n, 1)) * t)
    return 0.3 * hum + 0.1 * torch.randn(n, SR)


def _trigger(x):
    x = x.clone()
    burst = SelfTestMixin.burst
    for i in range(x.shape[0]):
        s = int(torch.randint(0, SR - 16, (1,)))
        x[i, s:s + 16] = burst
    return x


def corpus_case():
    torch.manual_seed(0)
    model = HiveNet().eval()
    reference = HiveNet(selftest=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": STATES.index("queenright")}
